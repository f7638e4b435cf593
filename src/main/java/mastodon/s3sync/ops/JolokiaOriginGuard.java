package mastodon.s3sync.ops;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In front of Jolokia: a request made by a web page (it carries an Origin, or a Referer) is let through only from the
 * origins Hawtio is opened at ({@code management.jolokia-origins}); Hawtio's proxy forwards the browser's Origin. Any
 * other page gets 403 with the reason (Jolokia itself would answer 500), logged once per origin. Requests without
 * either header (curl, scripts) pass; the credentials are checked separately. Clients jolokia-access.xml refuses
 * (not on this machine or a Docker bridge) get the same 403 with the reason.
 */
public final class JolokiaOriginGuard implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger("mastodon.s3sync.ops");

    private final List<String> allowed;
    private final Set<String> logged = ConcurrentHashMap.newKeySet();

    public JolokiaOriginGuard(List<String> allowed) {
        this.allowed = allowed.stream().map(JolokiaOriginGuard::normalize).filter(s -> !s.isEmpty()).toList();
    }

    /** The origin a request comes from (Origin, else the Referer's scheme://host:port), or null when it has neither. */
    static String origin(String originHeader, String referer) {
        if (originHeader != null && !originHeader.isBlank()) {
            return normalize(originHeader);
        }
        if (referer != null && !referer.isBlank()) {
            try {
                URI u = URI.create(referer.strip());
                if (u.getScheme() != null && u.getHost() != null) {
                    return normalize(u.getScheme() + "://" + u.getHost() + (u.getPort() >= 0 ? ":" + u.getPort() : ""));
                }
            } catch (IllegalArgumentException e) {
                return referer.strip();
            }
            return referer.strip();
        }
        return null;
    }

    /** Lower case, without a trailing slash or the scheme's default port. */
    static String normalize(String origin) {
        String o = origin.strip().toLowerCase();
        while (o.endsWith("/")) {
            o = o.substring(0, o.length() - 1);
        }
        if (o.startsWith("http://") && o.endsWith(":80")) {
            o = o.substring(0, o.length() - 3);
        } else if (o.startsWith("https://") && o.endsWith(":443")) {
            o = o.substring(0, o.length() - 4);
        }
        return o;
    }

    /** Null when the request may go on, else why not. */
    String refusal(String originHeader, String referer) {
        String origin = origin(originHeader, referer);
        if (origin == null || allowed.contains(origin)) {
            return null;
        }
        return "Jolokia refused a request from the web page origin " + origin + ": only " + String.join(", ", allowed)
                + " may use it (management.jolokia-origins). Open Hawtio at one of those addresses, or add its address "
                + "to MANAGEMENT_JOLOKIA_ORIGINS and restart.";
    }

    /**
     * Null when a client at this address may use Jolokia (this machine, or Docker's bridge networks 172.16.0.0/12, as
     * jolokia-access.xml says), else why not: Jolokia's own refusal would be a 500 with nothing logged.
     */
    static String remoteRefusal(String host) {
        try {
            InetAddress a = InetAddress.getByName(host); // an IP literal: no lookup
            byte[] b = a.getAddress();
            if (a.isLoopbackAddress() || (b.length == 4 && (b[0] & 0xff) == 172 && (b[1] & 0xf0) == 16)) {
                return null;
            }
        } catch (UnknownHostException e) {
            // not an address: refused below
        }
        return "Jolokia refused a request from " + host + ": only clients on this machine (an SSH port-forward counts)"
                + " and on Docker's bridge networks may use it (src/main/resources/jolokia-access.xml). Fix: use an SSH "
                + "port-forward (ssh -N -L 9876:127.0.0.1:9876 server) rather than a wider management.host.";
    }

    @Override
    public void handle(RoutingContext rc) {
        String remote = rc.request().remoteAddress() == null ? "" : rc.request().remoteAddress().host();
        String remoteReason = remoteRefusal(remote);
        if (remoteReason != null) {
            if (logged.size() < 100 && logged.add(remote)) {
                LOG.warn(remoteReason);
            }
            rc.response().setStatusCode(403).putHeader("Content-Type", "text/plain; charset=utf-8").end(remoteReason
                    + "\n");
            return;
        }
        String reason = refusal(rc.request().getHeader("Origin"), rc.request().getHeader("Referer"));
        if (reason == null) {
            rc.next();
            return;
        }
        if (logged.size() < 100 && logged.add(origin(rc.request().getHeader("Origin"), rc.request().getHeader("Referer")))) {
            LOG.warn(reason);
        }
        rc.response().setStatusCode(403).putHeader("Content-Type", "text/plain; charset=utf-8").end(reason + "\n");
    }
}
