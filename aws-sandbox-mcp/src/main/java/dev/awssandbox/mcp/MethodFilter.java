package dev.awssandbox.mcp;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * A servlet filter that hands the HTTP requests of one method to {@code filter}; requests with any
 * other method pass on untouched.
 */
record MethodFilter(String method, MethodFilter.Http filter) implements Filter {

    /** A filter of the HTTP requests of one method. */
    interface Http {
        void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws IOException, ServletException;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        if (method.equals(request.getMethod())) {
            filter.doFilter(request, (HttpServletResponse) res, chain);
        } else {
            chain.doFilter(req, res);
        }
    }
}
