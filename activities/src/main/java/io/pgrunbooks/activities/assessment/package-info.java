/** The checks of seed 000 "Immediate Assessment", as activities. */
package io.pgrunbooks.activities.assessment;
