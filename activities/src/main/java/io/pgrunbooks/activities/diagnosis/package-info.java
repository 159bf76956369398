/** The checks of seed 000 "Detailed Diagnosis": SQL against the target, pods or the host's server. */
package io.pgrunbooks.activities.diagnosis;
