/**
 * Secret references ({@code env:}, {@code file:}, {@code k8s:}) resolved, and for {@code file:} and {@code k8s:} written
 * (with the archives a replaced secret leaves), inside activities only.
 */
package io.pgrunbooks.activities.secrets;
