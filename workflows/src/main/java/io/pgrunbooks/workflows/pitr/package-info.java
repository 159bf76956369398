/**
 * Seed 000 "Point-in-Time Recovery": validate the target time against what pgBackRest can recover,
 * gate, stop the database, move its data directory aside, restore and replay WAL to the target,
 * then prove where recovery stopped and check the data.
 */
package io.pgrunbooks.workflows.pitr;
