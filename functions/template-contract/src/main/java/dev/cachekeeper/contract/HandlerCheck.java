package dev.cachekeeper.contract;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Checks that the {@code Handler} of every Java {@code AWS::Serverless::Function} names a class the Lambda Java
 * runtime can load and call: {@code package.Class} implementing RequestHandler or RequestStreamHandler, or
 * {@code package.Class::method} with a public method of one of the shapes the runtime accepts. An instance
 * handler also needs a public no-argument constructor, since the runtime creates the object itself.
 */
public final class HandlerCheck {
    private HandlerCheck() {
    }

    /** One message per function whose handler would fail at cold start. Classes are not initialised. */
    public static List<String> check(SamTemplate template, ClassLoader loader) {
        List<String> problems = new ArrayList<>();
        for (String id : template.idsOfType(SamTemplate.FUNCTION)) {
            Map<String, Object> props = template.effectiveProperties(id);
            if ("Image".equals(props.get("PackageType"))) {
                continue;
            }
            Object runtime = props.get("Runtime");
            if (!(runtime instanceof String r) || !r.startsWith("java")) {
                problems.add(id + ": Runtime is " + runtime + ", expected a java runtime");
                continue;
            }
            Object handler = props.get("Handler");
            if (!(handler instanceof String h) || h.isBlank()) {
                problems.add(id + ": no Handler");
                continue;
            }
            String problem = problem(h, loader);
            if (problem != null) {
                problems.add(id + ": Handler " + h + " " + problem);
            }
        }
        return problems;
    }

    /** Null when the runtime could call this handler string, else why not. */
    public static String problem(String handler, ClassLoader loader) {
        String className = handler;
        String methodName = null;
        int sep = handler.indexOf("::");
        if (sep >= 0) {
            className = handler.substring(0, sep);
            methodName = handler.substring(sep + 2);
            if (methodName.isEmpty()) {
                return "has an empty method name";
            }
        }
        Class<?> type;
        try {
            type = Class.forName(className, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return "does not resolve: class " + className + " is not on the class path (is its function module a"
                    + " test dependency of functions/template-contract/pom.xml?)";
        }
        if (!Modifier.isPublic(type.getModifiers())) {
            return "names a class that is not public";
        }
        if (methodName == null) {
            if (!RequestHandler.class.isAssignableFrom(type) && !RequestStreamHandler.class.isAssignableFrom(type)) {
                return "names a class that implements neither RequestHandler nor RequestStreamHandler;"
                        + " implement one or name the method (Class::method)";
            }
            return instantiable(type);
        }
        String name = methodName;
        List<Method> candidates = Arrays.stream(type.getMethods()).filter(m -> m.getName().equals(name)).toList();
        if (candidates.isEmpty()) {
            return "names no public method " + name + " on " + className;
        }
        List<Method> good = candidates.stream().filter(HandlerCheck::acceptableShape).toList();
        if (good.isEmpty()) {
            return "has no method of an accepted shape: (event), (event, Context), (InputStream, OutputStream) or"
                    + " (InputStream, OutputStream, Context); found " + candidates.stream()
                    .map(m -> Arrays.toString(m.getParameterTypes())).toList();
        }
        if (good.stream().allMatch(m -> Modifier.isStatic(m.getModifiers()))) {
            return null;
        }
        return instantiable(type);
    }

    private static String instantiable(Class<?> type) {
        if (Modifier.isAbstract(type.getModifiers()) || type.isInterface()) {
            return "names an abstract class or interface, which the runtime cannot create";
        }
        if (type.getEnclosingClass() != null && !Modifier.isStatic(type.getModifiers())) {
            return "names an inner (non-static) class, which the runtime cannot create";
        }
        try {
            Constructor<?> ctor = type.getConstructor();
            return Modifier.isPublic(ctor.getModifiers()) ? null : "has no public no-argument constructor";
        } catch (NoSuchMethodException e) {
            return "has no public no-argument constructor, which the runtime needs to create the handler";
        }
    }

    static boolean acceptableShape(Method m) {
        Class<?>[] p = m.getParameterTypes();
        return switch (p.length) {
            case 1 -> p[0] != Context.class;
            case 2 -> p[1] == Context.class && p[0] != Context.class
                    || p[0] == InputStream.class && p[1] == OutputStream.class;
            case 3 -> p[0] == InputStream.class && p[1] == OutputStream.class
                    && p[2] == Context.class;
            default -> false;
        };
    }
}
