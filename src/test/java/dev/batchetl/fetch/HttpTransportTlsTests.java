package dev.batchetl.fetch;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The transport sets TLS up on its first https connection (not when it is built): against
 * a local HTTPS server whose self-signed certificate no trust store holds, the handshake
 * is made and refused with the certificate named.
 */
class HttpTransportTlsTests {

    @TempDir
    Path work;

    @Test
    void anHttpsSourceIsCheckedAgainstTheDefaultTrustStore() throws Exception {
        // given a local HTTPS server with a certificate of its own (keytool of the
        // running JDK)
        Path keystore = this.work.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-dname", "CN=127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "secret", "-keypass", "secret")
            .inheritIO()
            .start();
        keytool.waitFor(1, TimeUnit.MINUTES);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = java.nio.file.Files.newInputStream(keystore)) {
            store.load(in, "secret".toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, "secret".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.sendResponseHeaders(200, -1);
            }
        });
        server.start();
        try (HttpTransport transport = new HttpTransport(Duration.ofSeconds(5), Duration.ofSeconds(5), 4)) {
            URI uri = URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/a.csv");
            // when / then
            assertThatThrownBy(() -> transport.get(uri, Map.of(), Duration.ofSeconds(5),
                    System.nanoTime() + TimeUnit.SECONDS.toNanos(10)))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("certification path");
        }
        finally {
            server.stop(0);
        }
    }

}
