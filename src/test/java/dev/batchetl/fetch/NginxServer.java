package dev.batchetl.fetch;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real nginx for benchmarks: serves one folder on 127.0.0.1 on a free port, with
 * {@code sendfile}, keep-alive and a configuration, pid file, logs and temporary folders
 * of its own in a temporary folder (nothing of the system's nginx is read or written). It
 * runs in the foreground ({@code daemon off}) as a child process and {@link #close()}
 * stops it and its workers.
 *
 * <pre>{@code
 * assumeTrue(NginxServer.installed(), "nginx is not installed");
 * try (NginxServer nginx = new NginxServer()) {
 *     String base = nginx.start(folder);      // http://127.0.0.1:PORT, serving folder's files under /
 *     ...
 * }
 * }</pre>
 */
public final class NginxServer implements AutoCloseable {

    private static final List<Path> CANDIDATES = List.of(Path.of("/usr/sbin/nginx"), Path.of("/usr/local/sbin/nginx"),
            Path.of("/usr/local/nginx/sbin/nginx"));

    private Path home;

    private Process process;

    private Thread reaper;

    private String baseUrl;

    /**
     * The nginx binary: on the PATH or in a usual place; empty when none is installed.
     */
    public static Optional<Path> binary() {
        Stream<Path> onPath = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
            .filter(dir -> !dir.isEmpty())
            .map(dir -> Path.of(dir, "nginx"));
        return Stream.concat(onPath, CANDIDATES.stream()).filter(Files::isExecutable).findFirst();
    }

    /**
     * Whether nginx is installed (for an assumption: a benchmark that needs it is skipped
     * where it is not).
     */
    public static boolean installed() {
        return binary().isPresent();
    }

    /**
     * Starts nginx serving the files of {@code root} (a request for {@code /a/b.bin} gets
     * {@code root/a/b.bin}) and returns once it accepts connections.
     * @return the base URL, {@code http://127.0.0.1:PORT}, without a trailing slash
     */
    public String start(Path root) throws IOException {
        if (this.process != null) {
            throw new IllegalStateException("already started: " + this.baseUrl);
        }
        Path nginx = binary().orElseThrow(() -> new IllegalStateException("nginx is not installed"));
        this.home = Files.createTempDirectory("nginx-");
        Files.createDirectories(this.home.resolve("logs"));
        Files.createDirectories(this.home.resolve("temp"));
        IOException last = null;
        // a free port is found by binding it and letting it go: another process may take
        // it in between, then again
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = freePort();
            Path conf = Files.writeString(this.home.resolve("nginx.conf"), config(root.toAbsolutePath(), port));
            Process started = new ProcessBuilder(nginx.toString(), "-p", this.home + "/", "-c", conf.toString(), "-e",
                    this.home.resolve("logs/error.log").toString())
                .redirectErrorStream(true)
                .redirectOutput(this.home.resolve("logs/stdout.log").toFile())
                .start();
            try {
                if (awaitListening(started, port, this.home.resolve("nginx.pid"))) {
                    this.process = started;
                    this.baseUrl = "http://127.0.0.1:" + port;
                    // should the JVM exit without close(), nginx does not outlive it
                    this.reaper = new Thread(this::stop, "nginx-stop");
                    Runtime.getRuntime().addShutdownHook(this.reaper);
                    return this.baseUrl;
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                stop(started);
                throw new IOException("interrupted while nginx started", ex);
            }
            stop(started);
            last = new IOException("nginx did not start on port " + port + ": " + errorLog());
        }
        deleteHome();
        throw last;
    }

    /** The base URL, {@code http://127.0.0.1:PORT}; null before {@link #start}. */
    public String baseUrl() {
        return this.baseUrl;
    }

    /**
     * The access log (nginx's combined format: one line per request); only while started.
     */
    public Path accessLog() {
        return this.home.resolve("logs/access.log");
    }

    /** Stops nginx and its workers and removes its temporary folder. */
    @Override
    public void close() {
        if (this.reaper != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(this.reaper);
            }
            catch (IllegalStateException ex) {
                // the JVM is exiting: the hook stops it
            }
            this.reaper = null;
        }
        stop();
        deleteHome();
    }

    private void stop() {
        if (this.process != null) {
            stop(this.process);
            this.process = null;
        }
    }

    /**
     * SIGTERM (nginx's fast shutdown: the master ends its workers), then SIGKILL for
     * whatever is left of it.
     */
    private static void stop(Process nginx) {
        List<ProcessHandle> workers = nginx.descendants().toList();
        nginx.destroy();
        try {
            if (!nginx.waitFor(5, TimeUnit.SECONDS)) {
                nginx.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        catch (InterruptedException ex) {
            nginx.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle worker : workers) {
            if (worker.isAlive()) {
                worker.destroyForcibly();
            }
        }
    }

    private String config(Path root, int port) {
        String home = this.home.toString();
        // as root, the workers keep root's rights: a temporary folder of the test is not
        // readable by nobody
        String user = "root".equals(System.getProperty("user.name")) ? "user root;\n" : "";
        return user + """
                daemon off;
                worker_processes auto;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log warn;
                events {
                	worker_connections 1024;
                }
                http {
                	types {
                		application/octet-stream bin;
                		text/csv csv;
                		application/gzip gz;
                	}
                	default_type application/octet-stream;
                	access_log %1$s/logs/access.log;
                	client_body_temp_path %1$s/temp/body;
                	proxy_temp_path %1$s/temp/proxy;
                	fastcgi_temp_path %1$s/temp/fastcgi;
                	uwsgi_temp_path %1$s/temp/uwsgi;
                	scgi_temp_path %1$s/temp/scgi;
                	sendfile on;
                	tcp_nopush on;
                	tcp_nodelay on;
                	keepalive_timeout 65;
                	keepalive_requests 10000;
                	server {
                		listen 127.0.0.1:%2$d;
                		server_name localhost;
                		root %3$s;
                		autoindex off;
                	}
                }
                """.formatted(home, port, root);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            return socket.getLocalPort();
        }
    }

    /**
     * True once nginx has written its pid file (it does after binding its port) and the
     * port accepts connections; false when nginx exited first (the port was taken) or in
     * 10 s.
     */
    private static boolean awaitListening(Process nginx, int port, Path pid) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() - deadline < 0) {
            if (!nginx.isAlive()) {
                return false;
            }
            if (!Files.exists(pid)) {
                Thread.sleep(20);
                continue;
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 200);
                return true;
            }
            catch (IOException ex) {
                Thread.sleep(20);
            }
        }
        return false;
    }

    private String errorLog() {
        StringBuilder text = new StringBuilder();
        for (String log : List.of("logs/error.log", "logs/stdout.log")) {
            try {
                text.append(Files.readString(this.home.resolve(log), StandardCharsets.UTF_8).strip()).append(' ');
            }
            catch (IOException ex) {
                // not written
            }
        }
        return text.toString().strip();
    }

    private void deleteHome() {
        if (this.home == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(this.home)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
        catch (IOException ex) {
            // a temporary folder: left for the system to clean
        }
        this.home = null;
    }

}
