package dev.batchetl.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.spring6.dialect.SpringStandardDialect;
import org.thymeleaf.standard.serializer.StandardJavaScriptSerializer;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTML page of a run: one template ({@code report/run.html}) for the self-contained
 * file, whose styles, scripts and data are all inside it (its Content-Security-Policy
 * lets it load nothing from anywhere), and for the dashboard, which serves the same
 * scripts beside it.
 */
public final class ReportPage {

    /** Where uPlot's script and styles are on the class path. */
    public static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final TemplateEngine TEMPLATES = templates();

    /**
     * Data larger than this (characters of JSON) is packed ({@link #packed}); a smaller
     * page keeps it as JSON, readable in the file.
     */
    static final int PACKED_ABOVE = 512 * 1024;

    private ReportPage() {
    }

    /** The page with everything inside it, for a file. */
    public static String selfContained(RunReport report) {
        Context context = context(report);
        String json = (String) context.getVariable("json");
        if (json.length() > PACKED_ABOVE) {
            context.setVariable("json", null);
            context.setVariable("packed", packed(json));
        }
        context.setVariable("inline", true);
        context.setVariable("css", resource("report/report.css"));
        context.setVariable("js", resource("report/report.js"));
        context.setVariable("uplotCss", resource(UPLOT + "uPlot.min.css"));
        context.setVariable("uplotJs", resource(UPLOT + "uPlot.iife.min.js"));
        return TEMPLATES.process("run", context);
    }

    /**
     * Writes the self-contained page to {@code target}: under a temporary name beside it,
     * then renamed into place, so a reader never sees half a page; a page that cannot be
     * written leaves no temporary file behind.
     */
    public static void write(RunReport report, Path target) throws IOException {
        Path folder = target.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        Path part = folder.resolve("." + target.getFileName() + ".tmp");
        try {
            Files.writeString(part, selfContained(report), StandardCharsets.UTF_8);
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (IOException | RuntimeException ex) {
            try {
                Files.deleteIfExists(part);
            }
            catch (IOException cleanup) {
                ex.addSuppressed(cleanup);
            }
            throw ex;
        }
    }

    /** The run's data as the page's script reads it, safe inside a script element. */
    public static String json(RunReport report) {
        // "<" only occurs inside JSON strings, where \u003c is the same character: no
        // value can close the script element or open a comment
        return JSON.writeValueAsString(report).replace("<", "\\u003c");
    }

    /**
     * The data of a page as gzip in base64, which the page's script unpacks: for 20,000
     * columns a third of the JSON's size.
     */
    static String packed(String json) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(json.length() / 3);
        // the fastest level: on numbers it packs nearly as well as the default, in a
        // third of the time
        try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(bytes, 1 << 16) {
            {
                this.def.setLevel(java.util.zip.Deflater.BEST_SPEED);
            }
        }) {
            gzip.write(json.getBytes(StandardCharsets.UTF_8));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return java.util.Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    static Context context(RunReport report) {
        Context context = new Context();
        context.setVariable("title", report.run().definition() + " run=" + report.run().runKey());
        context.setVariable("json", json(report));
        context.setVariable("live", null);
        return context;
    }

    static String resource(String name) {
        try (InputStream in = ReportPage.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static TemplateEngine templates() {
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
        resolver.setPrefix("report/");
        resolver.setSuffix(".html");
        resolver.setTemplateMode(TemplateMode.HTML);
        resolver.setCharacterEncoding("UTF-8");
        resolver.setCacheable(true);
        // expressions in Spring's language (the dashboard's too), not OGNL, which the
        // application does not ship; and Thymeleaf's own serializer for expressions
        // inlined in scripts, not its default that builds a Jackson 2 ObjectMapper when
        // one is on the class path: the page inlines none, and those classes are a good
        // part of the first page's time
        SpringStandardDialect dialect = new SpringStandardDialect();
        dialect.setJavaScriptSerializer(new StandardJavaScriptSerializer(false));
        TemplateEngine engine = new SpringTemplateEngine();
        engine.setDialect(dialect);
        engine.setTemplateResolver(resolver);
        return engine;
    }

}
