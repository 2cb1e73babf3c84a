package io.jackdaw.types;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * sin, cos and asin from the platform's C library where it can be reached, else StrictMath.
 * Redis computes geo distances with the host libm, and a STOREDIST score shows all 17 digits:
 * with StrictMath, several stored distances per query of GeoDifferentialTest's random searches
 * differed from the reference's in the last bit or two, so the same query stored different
 * scores than Redis on the same machine.
 */
public final class LibM {
    private LibM() {}

    private static final MethodHandle SIN = find("sin"), COS = find("cos"), ASIN = find("asin");

    private static MethodHandle find(String name) {
        try {
            Linker linker = Linker.nativeLinker();
            return linker.defaultLookup().find(name)
                    .map(a -> linker.downcallHandle(a, FunctionDescriptor.of(ValueLayout.JAVA_DOUBLE, ValueLayout.JAVA_DOUBLE),
                            Linker.Option.critical(false)))
                    .orElse(null);
        } catch (Throwable t) { // no native access: the pure-Java functions
            return null;
        }
    }

    public static double sin(double x) {
        if (SIN != null) {
            try {
                return (double) SIN.invokeExact(x);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
        return StrictMath.sin(x);
    }

    public static double cos(double x) {
        if (COS != null) {
            try {
                return (double) COS.invokeExact(x);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
        return StrictMath.cos(x);
    }

    public static double asin(double x) {
        if (ASIN != null) {
            try {
                return (double) ASIN.invokeExact(x);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
        return StrictMath.asin(x);
    }
}
