/* The page of one run of batch-etl, drawn from the run's data embedded in the page (#run-data).
   Plain DOM and SVG; uPlot (inlined or served beside it) draws the fetch throughput. No request leaves the page. */
(function () {
  'use strict';

  var SVG = 'http://www.w3.org/2000/svg';
  var ROWS_SHOWN = 500;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    setAttrs(node, attrs);
    append(node, children);
    return node;
  }

  function svg(tag, attrs, children) {
    var node = document.createElementNS(SVG, tag);
    setAttrs(node, attrs);
    append(node, children);
    return node;
  }

  function setAttrs(node, attrs) {
    if (!attrs) return;
    Object.keys(attrs).forEach(function (name) {
      if (attrs[name] === null || attrs[name] === undefined) return;
      if (name === 'text') node.textContent = attrs[name];
      else if (name === 'onclick') node.addEventListener('click', attrs[name]);
      else node.setAttribute(name, attrs[name]);
    });
  }

  function append(node, children) {
    if (children === null || children === undefined) return;
    (Array.isArray(children) ? children : [children]).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === 'string' || typeof child === 'number'
        ? document.createTextNode(String(child)) : child);
    });
  }

  function badge(status) {
    return el('span', { 'class': 'badge s-' + status, text: status });
  }

  function time(ms) {
    if (ms === null || ms === undefined) return '';
    return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  }

  function duration(ms) {
    if (ms === null || ms === undefined) return '';
    if (ms < 1000) return ms + ' ms';
    var s = ms / 1000;
    if (s < 60) return s.toFixed(1) + ' s';
    var m = Math.floor(s / 60);
    if (m < 60) return m + ' min ' + Math.round(s - 60 * m) + ' s';
    return Math.floor(m / 60) + ' h ' + (m % 60) + ' min';
  }

  function bytes(n) {
    if (n === null || n === undefined) return '';
    var units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    var i = 0;
    var v = n;
    while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return (i === 0 ? v : v.toFixed(1)) + ' ' + units[i];
  }

  function num(v) {
    if (v === null || v === undefined) return '';
    if (typeof v === 'string') return v;
    if (Number.isInteger(v)) return v.toLocaleString('en-US');
    var a = Math.abs(v);
    return (a !== 0 && (a < 1e-4 || a >= 1e12)) ? v.toExponential(4) : String(+v.toPrecision(8));
  }

  function td(value, cls) {
    return el('td', { 'class': cls || null, text: value === null || value === undefined ? '' : String(value) });
  }

  function table(headers, rows, numeric) {
    var head = el('tr', null, headers.map(function (h) { return el('th', { text: h }); }));
    var body = el('tbody', null, rows);
    return el('table', { 'class': numeric || null }, [el('thead', null, head), body]);
  }

  /** Renders rows in steps of ROWS_SHOWN, with a button for the rest. */
  function limited(container, items, headers, rowOf) {
    var tbody = el('tbody');
    var t = el('table', null, [el('thead', null, el('tr', null, headers.map(function (h) {
      return el('th', { text: h });
    }))), tbody]);
    var shown = 0;
    var more = el('button', { 'class': 'more' });
    function show() {
      var end = Math.min(items.length, shown + ROWS_SHOWN);
      for (; shown < end; shown++) append(tbody, rowOf(items[shown]));
      more.textContent = 'show ' + Math.min(ROWS_SHOWN, items.length - shown) + ' more of ' + (items.length - shown);
      more.style.display = shown < items.length ? '' : 'none';
    }
    more.addEventListener('click', show);
    show();
    append(container, [el('div', { 'class': 'scroll' }, t), more]);
  }

  function header(data) {
    var run = data.run;
    var meta = el('div', { 'class': 'meta' }, [
      el('span', { text: 'instance ' + run.instanceId }),
      el('span', { text: 'execution ' + run.executionId }),
      el('span', { text: 'exit ' + (run.exitCode === null ? '-' : run.exitCode) + (run.exitMeaning ? ': ' + run.exitMeaning : '') }),
      el('span', { text: 'duration ' + duration(run.durationMs) }),
      run.host ? el('span', { text: 'host ' + run.host }) : null,
      el('span', { text: 'report of ' + time(data.generated) })
    ]);
    return el('header', null, [
      el('h1', null, [run.definition + ' run=' + run.runKey + ' ', badge(run.status)]),
      meta
    ]);
  }

  var RUNNING = { STARTING: true, STARTED: true, STOPPING: true };

  /**
   * While the run is live: how far its fetch and statistics are, the fetch's rate and
   * an estimate of when it ends (from the sources done so far since the step started).
   */
  function progress(data) {
    if (!RUNNING[data.run.status]) return null;
    var now = data.generated;
    var mine = data.timeline.filter(function (b) { return b.execution === data.run.executionId; });
    var parts = [];
    var fetchBar = mine.filter(function (b) { return b.lane === 'fetch'; })[0];
    var f = data.fetch;
    if (f && f.total && fetchBar) {
      var done = f.total - (f.counts.PENDING || 0);
      var line = 'fetch: ' + done + ' of ' + f.total + ' sources, ' + bytes(f.bytes);
      var elapsed = (fetchBar.end || now) - fetchBar.start;
      if (!fetchBar.end && done && elapsed > 0) {
        var left = f.total - done;
        line += ', ' + (done / elapsed * 1000).toFixed(1) + ' sources/s';
        if (left > 0) line += ', about ' + duration(left * elapsed / done) + ' left';
      }
      parts.push(el('p', { id: 'fetch-progress', text: line }));
    }
    var partitions = mine.filter(function (b) { return b.lane.indexOf('stats-') === 0; });
    if (partitions.length) {
      var ended = partitions.filter(function (b) { return b.end; }).length;
      parts.push(el('p', { id: 'stats-progress', text: 'statistics: ' + ended + ' of ' + partitions.length
        + ' started partitions done' }));
    }
    if (!parts.length) parts.push(el('p', { text: 'starting' }));
    return section('Progress', 'progress', parts);
  }

  function executions(data) {
    var rows = data.executions.map(function (e) {
      return el('tr', null, [td(e.id, 'n'), el('td', null, badge(e.status)), td(e.exitCode, 'n'), td(time(e.start)),
        td(time(e.end)), td(duration(e.end && e.start ? e.end - e.start : null), 'n'), td(e.owner), td(e.summary)]);
    });
    return section('Executions of this run', 'executions', [
      table(['execution', 'status', 'exit', 'started', 'ended', 'duration', 'owner', 'what it did'], rows)
    ]);
  }

  function timeline(data) {
    var bars = data.timeline;
    if (!bars.length) return null;
    var now = data.generated;
    var t0 = Math.min.apply(null, bars.map(function (b) { return b.start; }));
    var t1 = Math.max.apply(null, bars.map(function (b) { return b.end || now; }));
    if (t1 <= t0) t1 = t0 + 1;
    var lanes = [];
    var laneIndex = {};
    bars.forEach(function (b) {
      if (!(b.lane in laneIndex)) { laneIndex[b.lane] = lanes.length; lanes.push(b.lane); }
    });
    var left = 150, width = 1100, lane = 16, top = 22;
    var height = top + lanes.length * lane + 20;
    var x = function (t) { return left + (t - t0) / (t1 - t0) * width; };
    var chart = svg('svg', { 'class': 'timeline', width: left + width + 20, height: height, role: 'img',
      'aria-label': 'timeline of steps and partitions' });
    lanes.forEach(function (name, i) {
      append(chart, svg('text', { x: 4, y: top + i * lane + 12, text: name.length > 22 ? name.slice(0, 21) + '…' : name }));
    });
    bars.forEach(function (b) {
      var x0 = x(b.start), x1 = x(b.end || now);
      append(chart, svg('rect', { 'class': 'bar b-' + b.status, x: x0.toFixed(1), y: top + laneIndex[b.lane] * lane + 2,
        width: Math.max(1, x1 - x0).toFixed(1), height: lane - 4, 'data-lane': b.lane, 'data-execution': b.execution },
        svg('title', { text: b.lane + ' (execution ' + b.execution + '): ' + b.status + ', ' + duration((b.end || now) - b.start)
          + (b.note ? '; ' + b.note : '') })));
    });
    data.executions.forEach(function (e) {
      if (!e.start) return;
      var ex = x(e.start);
      append(chart, [svg('line', { 'class': 'exec', x1: ex, x2: ex, y1: 12, y2: height - 18 }),
        svg('text', { x: ex + 3, y: 12, text: 'execution ' + e.id })]);
    });
    append(chart, [svg('line', { 'class': 'axis', x1: left, x2: left + width, y1: height - 16, y2: height - 16 }),
      svg('text', { x: left, y: height - 3, text: time(t0) }),
      svg('text', { x: left + width - 130, y: height - 3, text: '+' + duration(t1 - t0) })]);
    return section('Timeline', 'timeline', [
      el('p', { 'class': 'note', text: 'Steps and statistics partitions of every execution of this run; hover a bar for its status and duration.' }),
      el('div', { 'class': 'scroll' }, chart)
    ]);
  }

  function fetchSection(data) {
    var f = data.fetch;
    if (!f || !f.total) return null;
    var parts = [el('p', null, Object.keys(f.counts).sort().map(function (k) {
      return el('span', null, [badge(k), ' ' + f.counts[k] + '  ']);
    }).concat([' ' + bytes(f.bytes) + ' in ' + f.total + ' sources' + (f.stepMs ? ', step ' + duration(f.stepMs) : '')]))];
    var chart = throughput(f.throughput);
    if (chart) parts.push(chart);
    if (f.sources.length < f.total) {
      parts.push(el('p', { 'class': 'note', text: 'The first ' + f.sources.length + ' of ' + f.total
        + ' sources, the failed ones first; all of them are in etl_source.' }));
    }
    var box = el('div');
    // the failed ones first, then list order: as they come
    limited(box, f.sources, ['line', 'source', 'status', 'bytes', 'duration', 'attempts', 'HTTP', 'reason'], function (s) {
      return el('tr', null, [td(s.line, 'n'), td(s.source), el('td', null, badge(s.status)), td(bytes(s.bytes), 'n'),
        td(duration(s.ms), 'n'), td(s.attempts, 'n'), td(s.http, 'n'), td(s.error, 'err')]);
    });
    parts.push(box);
    return section('Fetch', 'fetch', parts);
  }

  /** Bytes received per second over the step's time, as the report computed it (ThroughputCurve). */
  function throughput(t) {
    if (!t || typeof uPlot === 'undefined') return null;
    var xs = t.mibPerSecond.map(function (v, i) { return (t.start + i * t.step) / 1000; });
    var box = el('div', { id: 'throughput', 'class': 'chart' });
    setTimeout(function () {
      new uPlot({ width: 900, height: 220, title: 'throughput (MiB/s)',
        series: [{}, { label: 'MiB/s', stroke: '#1565c0', fill: 'rgba(21,101,192,.15)' }],
        axes: [{}, { label: 'MiB/s' }] }, [xs, t.mibPerSecond], box);
    }, 0);
    return box;
  }

  // a column and its histogram come as arrays of their values (RunReport.Column, Histogram)
  var COLUMN = ['name', 'type', 'count', 'nulls', 'min', 'max', 'mean', 'std', 'q1', 'median', 'q3', 'distinct',
    'distinctExact', 'hist'];

  function column(values) {
    if (!Array.isArray(values)) return values;
    var c = {};
    COLUMN.forEach(function (name, i) { c[name] = values[i]; });
    if (Array.isArray(c.hist)) c.hist = { low: c.hist[0], high: c.hist[1], counts: c.hist[2] };
    return c;
  }

  function histogram(h) {
    if (!h || !h.counts || !h.counts.length) return null;
    var max = Math.max.apply(null, h.counts);
    if (max <= 0) return null;
    var w = 120, hh = 26, bw = w / h.counts.length;
    return svg('svg', { 'class': 'hist', width: w, height: hh, role: 'img' }, [
      svg('title', { text: 'distribution from ' + num(h.low) + ' to ' + num(h.high) })
    ].concat(h.counts.map(function (c, i) {
      var bh = c === 0 ? 0 : Math.max(1, c / max * hh);
      return svg('rect', { x: (i * bw).toFixed(1), y: (hh - bh).toFixed(1), width: Math.max(0.5, bw - 0.5).toFixed(1), height: bh.toFixed(1) });
    })));
  }

  function columns(file) {
    var rows = file.cols.map(column).map(function (c) {
      var nullShare = c.count + c.nulls > 0 ? (100 * c.nulls / (c.count + c.nulls)).toFixed(1) + ' %' : '';
      return el('tr', { 'class': 'col' }, [td(c.name), td(c.type), td(num(c.count), 'n'), td(nullShare, 'n'),
        td(num(c.min), 'n'), td(num(c.max), 'n'), td(num(c.mean), 'n'), td(num(c.std), 'n'), td(num(c.q1), 'n'),
        td(num(c.median), 'n'), td(num(c.q3), 'n'), td((c.distinctExact === false ? '≈ ' : '') + num(c.distinct), 'n'),
        el('td', null, histogram(c.hist))]);
    });
    var parts = [table(['column', 'type', 'count', 'nulls', 'min', 'max', 'mean', 'std', 'q1', 'median', 'q3',
      'distinct', 'distribution'], rows)];
    if (file.bad && file.bad.length) {
      parts.push(el('p', { text: 'bad rows set aside (' + file.bad.length + (file.badRows > file.bad.length ? ' of ' + file.badRows : '') + '):' }));
      parts.push(table(['line', 'reason'], file.bad.map(function (b) {
        return el('tr', null, [td(b.line, 'n'), td(b.reason, 'err')]);
      })));
    }
    return parts;
  }

  function stats(data) {
    var files = data.files;
    if (!files.length) return null;
    var tbody = el('tbody');
    files.forEach(function (f) {
      var row = el('tr', { 'class': 'file', title: 'show the columns', 'data-file': f.file }, [td(f.file), td(num(f.rows), 'n'),
        td(f.columns, 'n'), td(num(f.badRows), 'n'), td(f.error, 'err')]);
      var detail = null;
      row.addEventListener('click', function () {
        if (detail) { detail.remove(); detail = null; return; }
        detail = el('tr', { 'class': 'cols' }, el('td', { colspan: 5 }, columns(f)));
        row.after(detail);
      });
      append(tbody, row);
    });
    var t = el('table', null, [el('thead', null, el('tr', null, ['file', 'rows', 'columns', 'bad rows', 'error'].map(function (h) {
      return el('th', { text: h });
    }))), tbody]);
    return section('Statistics', 'stats', [
      el('p', { 'class': 'note', text: files.length + ' files; click a file for its columns (≈: an estimate beyond 1,024 distinct values).' }),
      el('div', { 'class': 'scroll' }, t)
    ]);
  }

  function drift(data) {
    var d = data.drift;
    if (!d) return section('What changed', 'drift', el('p', { text: 'No earlier completed run of this definition to compare with.' }));
    var parts = [el('p', { text: 'Against execution ' + d.previousExecution + ' (run ' + d.previousRunKey + ').' })];
    if (d.newFiles.length) parts.push(el('p', { 'class': 'drift-new', text: 'new files: ' + d.newFiles.join(', ') }));
    if (d.vanishedFiles.length) parts.push(el('p', { 'class': 'drift-gone', text: 'vanished files: ' + d.vanishedFiles.join(', ') }));
    if (d.changes.length) {
      parts.push(table(['file', 'column', 'change', 'before', 'now'], d.changes.map(function (c) {
        return el('tr', null, [td(c.file), td(c.column), td(c.what, 'drift-up'), td(num(c.before), 'n'), td(num(c.now), 'n')]);
      })));
    }
    else if (!d.newFiles.length && !d.vanishedFiles.length) {
      parts.push(el('p', { text: 'Nothing beyond the thresholds: same files, columns and types; row counts, null shares and means within ' + d.threshold + '.' }));
    }
    return section('What changed since the previous run', 'drift', parts);
  }

  function failures(data) {
    var parts = [];
    if (data.failures.length) parts.push(el('ul', null, data.failures.map(function (f) { return el('li', { 'class': 'err', text: f }); })));
    else parts.push(el('p', { text: 'No failures.' }));
    if (data.restart && data.restart.length) {
      parts.push(el('h3', { text: 'What a restart would redo' }), el('pre', { text: data.restart.join('\n') }));
    }
    return section('Failures', 'failures', parts);
  }

  function section(title, id, children) {
    return el('section', { id: id }, [el('h2', { text: title })].concat(children));
  }

  function render(data) {
    var root = document.getElementById('report');
    root.textContent = '';
    append(root, [header(data), progress(data), executions(data), timeline(data), failures(data), fetchSection(data),
      stats(data), drift(data)]);
    document.title = data.run.definition + ' run=' + data.run.runKey + ' – ' + data.run.status;
  }

  /**
   * The run's data: JSON in the page, or, in the file of a big run, that JSON gzipped and
   * in base64 (a third of its size), unpacked by the browser's own DecompressionStream.
   */
  function load(then) {
    var packed = document.getElementById('run-data-gzip');
    if (!packed) {
      then(JSON.parse(document.getElementById('run-data').textContent));
      return;
    }
    if (typeof DecompressionStream === 'undefined') {
      document.getElementById('report').textContent = 'This report is compressed: open it in a current browser.';
      return;
    }
    var text = atob(packed.textContent.trim());
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text()
      .then(function (json) { then(JSON.parse(json)); });
  }

  var data;
  load(function (loaded) {
    data = loaded;
    render(data);
    follow();
  });

  // on the dashboard, a live run's page draws itself again from its data every few seconds;
  // once the run's status changes the page is loaded again, so that its buttons fit, and
  // once a restart of it starts, the page of that execution is opened
  function follow() {
    var live = document.body.getAttribute('data-live');
    if (live) {
      var every = Number(document.body.getAttribute('data-refresh')) || 2000;
      var timer = setInterval(function () {
        window.fetch(live, { headers: { Accept: 'application/json' }, cache: 'no-store' }).then(function (r) {
          var still = r.headers.get('X-Batch-Etl-Live') === 'true';
          return r.json().then(function (next) {
            var executions = next.executions;
            var newest = executions.length ? executions[executions.length - 1].id : next.run.executionId;
            if (newest !== data.run.executionId) {
              // a restart of the run: its page is the new execution's
              clearInterval(timer);
              window.location.href = live.replace(/\/runs\/\d+\/data$/, '/runs/' + newest);
              return;
            }
            if (!still || next.run.status !== data.run.status) {
              clearInterval(timer);
              window.location.reload();
              return;
            }
            data = next;
            render(next);
          });
        });
      }, every);
    }
  }
})();
