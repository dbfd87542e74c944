/**
 * The identity files of a verification report (reference §3.2): `document.files` (front, and back for a
 * card) and the selfie check's `document` (the face on the document) and `selfie` (the captured face).
 * Their ids are derived from the report's (`file_<report suffix>_<part>`), so they need no state of their
 * own, and their contents are the specimen PNGs of specimen-png.ts. A submission that never got as far as
 * an upload (a session-level failure such as `consent_declined`) has no files.
 */
import { checkOf } from './error-codes.js';
import type { EmulatedReport } from './model.js';
import type { SpecimenPart } from './specimen-png.js';

export interface ReportFiles {
  document: string[];
  selfie: { document: string; selfie: string } | null;
}

export function fileId(reportId: string, part: SpecimenPart): string {
  return `file_${reportId.replace(/^vr_/, '')}_${part}`;
}

export function reportFiles(report: EmulatedReport): ReportFiles {
  const uploaded = !(report.error?.code && checkOf(report.error.code) === 'session');
  if (!uploaded || !(report.type === 'document' || report.options.document)) {
    return { document: [], selfie: null };
  }
  const passport = report.options.document?.allowed_types?.[0] === 'passport';
  return {
    document: [fileId(report.id, 'front'), ...(passport ? [] : [fileId(report.id, 'back')])],
    selfie: report.options.document?.require_matching_selfie
      ? { document: fileId(report.id, 'face'), selfie: fileId(report.id, 'selfie') }
      : null,
  };
}

/** The report and part a file id names, when the report lists that file. */
export function findFile(
  id: string,
  findReport: (reportId: string) => EmulatedReport | undefined,
): { report: EmulatedReport; part: SpecimenPart } | undefined {
  const found = /^file_(.+)_(front|back|face|selfie)$/.exec(id);
  if (!found) return undefined;
  const report = findReport(`vr_${found[1]!}`);
  if (!report) return undefined;
  const files = reportFiles(report);
  const listed = [...files.document, files.selfie?.document, files.selfie?.selfie];
  return listed.includes(id) ? { report, part: found[2] as SpecimenPart } : undefined;
}
