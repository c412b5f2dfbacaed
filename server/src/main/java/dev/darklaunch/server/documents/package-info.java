/**
 * Flags as code: a project as one document (flag definitions, segments, and each environment's
 * configurations) to export, keep in git, plan and apply in one transaction.
 */
package dev.darklaunch.server.documents;
