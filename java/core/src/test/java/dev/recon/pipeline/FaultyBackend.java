package dev.recon.pipeline;

import dev.recon.backend.Backend;
import dev.recon.backend.Buf;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Fault injection: a working backend whose optimizer poisons the parameters from a given step
 * on, and whose preferred pass size can be overridden. Every other call, the fused network
 * operations included, goes to the backend it wraps.
 */
final class FaultyBackend {
    private FaultyBackend() {
    }

    static Backend wrap(Backend inner, long poisonFromStep) {
        return wrap(inner, poisonFromStep, inner.preferredPassRows());
    }

    static Backend wrap(Backend inner, long poisonFromStep, int passRows) {
        long[] steps = {0};
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "preferredPassRows":
                            return passRows;
                        case "description":
                            return "faulty " + inner.description();
                        default:
                            break;
                    }
                    Object result = call(inner, method, args);
                    if (method.getName().startsWith("adamStep") && ++steps[0] >= poisonFromStep) {
                        inner.upload((Buf) args[0], 0, new float[] {Float.NaN}, 0, 1);
                    }
                    return result;
                });
    }

    private static Object call(Backend inner, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(inner, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
