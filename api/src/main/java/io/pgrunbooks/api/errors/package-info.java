/** Errors as RFC 9457 problem details, with messages a person can act on. */
package io.pgrunbooks.api.errors;
