package io.mcprelay.application.port.in;

import io.mcprelay.application.port.out.InterceptorStatus;
import java.util.List;

/** What operators (the admin API and UI) ask about interceptors: each rule and code interceptor with its hit count. */
public interface InterceptorStatusQuery {

    /** The configured rules in order, then the code interceptors in the order they run. */
    List<InterceptorStatus> interceptorStatus();
}
