package io.mcprelay.bootstrap;

import io.mcprelay.application.spi.MessageInterceptor;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Finds the code interceptors: every module that {@code provides io.mcprelay.application.spi.MessageInterceptor}
 * (docs/interceptors.md). A provider that cannot be created stops start-up with its error, rather
 * than running without an interceptor the operator installed.
 */
final class CodeInterceptors {

    private static final System.Logger LOG = System.getLogger(CodeInterceptors.class.getName());

    private CodeInterceptors() {
    }

    /** The interceptors {@link ServiceLoader} finds through {@code loader} (and the layers it belongs to). */
    static List<MessageInterceptor> load(ClassLoader loader) {
        List<MessageInterceptor> found;
        try {
            found = ServiceLoader.load(MessageInterceptor.class, loader).stream().map(ServiceLoader.Provider::get).toList();
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("a code interceptor could not be loaded: " + e.getMessage(), e);
        }
        for (MessageInterceptor interceptor : found) {
            LOG.log(System.Logger.Level.INFO, "code interceptor {0} ({1}) loaded, sees {2}", interceptor.name(),
                    interceptor.getClass().getName(), interceptor.directions());
        }
        return found;
    }
}
