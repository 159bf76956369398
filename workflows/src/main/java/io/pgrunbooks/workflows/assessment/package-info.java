/**
 * Seed 000 "Immediate Assessment (0-10 minutes)": is the database up, how full are its connections
 * and disks, what do pods, volumes and application logs say, and which severity and scenario of the
 * Quick Reference table this points to.
 */
package io.pgrunbooks.workflows.assessment;
