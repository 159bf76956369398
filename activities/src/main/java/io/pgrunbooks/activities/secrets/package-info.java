/** Secret references ({@code env:}, {@code file:}, {@code k8s:}) resolved inside activities only. */
package io.pgrunbooks.activities.secrets;
