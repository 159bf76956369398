package io.pgrunbooks.workflows.backupfailure;

import io.pgrunbooks.workflows.assessment.StorageUsage;
import io.pgrunbooks.workflows.disk.DataVolume;

/**
 * Scenario 3, "Storage Issues", as far as the run went; each part null when it was not looked at.
 *
 * @param pod kubernetes: the newest backup Job's pods and what they say about space
 * @param oldDumps the dump files older than the retention, as listed before the clean-old-dumps gate
 * @param dumpDeletion what the approved cleanup deleted
 * @param volume kubernetes: the data directory's claim and whether its storage class allows expansion
 * @param expanded the claim after the approved expand-volume patch
 * @param after disk use of the data directory after the last change
 */
public record StorageSpace(
    BackupPodStorage pod, OldDumps oldDumps, DumpDeletion dumpDeletion, DataVolume volume, DataVolume expanded, StorageUsage after) {}
