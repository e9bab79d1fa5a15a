import { ATTACHMENT_TYPES, AttachmentFileName, MAX_ATTACHMENT_BYTES, type AttachmentType, type CaseAttachmentUpload } from '../../../../shared/src/cases.ts';

export const ACCEPT_ATTRIBUTE = Object.entries(ATTACHMENT_TYPES)
  .flatMap(([type, t]) => [type, ...t.extensions.map((e) => `.${e}`)])
  .join(',');

export const ALLOWED_EXTENSIONS_TEXT = Object.values(ATTACHMENT_TYPES)
  .flatMap((t) => t.extensions)
  .map((e) => e.toUpperCase())
  .join(', ');

function isAttachmentType(value: string): value is AttachmentType {
  return Object.hasOwn(ATTACHMENT_TYPES, value);
}

/**
 * The declared type for an upload: the browser's MIME type when it is one we accept, else the
 * type the extension implies (browsers report "" or odd types for .eml, .log, .csv on some systems).
 */
export function attachmentTypeOf(file: { name: string; type: string }): AttachmentType | null {
  const extension = file.name.split('.').pop()?.toLowerCase() ?? '';
  const byExtension =
    (Object.keys(ATTACHMENT_TYPES) as AttachmentType[]).find((t) => (ATTACHMENT_TYPES[t].extensions as readonly string[]).includes(extension)) ?? null;
  if (isAttachmentType(file.type) && (ATTACHMENT_TYPES[file.type].extensions as readonly string[]).includes(extension)) return file.type;
  return byExtension;
}

/** What is wrong with a file before we send it (the service checks again, including the content). */
export function attachmentProblem(file: { name: string; type: string; size: number }): string | null {
  const name = AttachmentFileName.safeParse(file.name);
  if (!name.success) return `“${file.name}” — the file name ${name.error.issues[0]?.message ?? 'is not allowed'}.`;
  if (!attachmentTypeOf(file)) return `“${file.name}” is not a file type we keep as evidence. Allowed: ${ALLOWED_EXTENSIONS_TEXT}.`;
  if (file.size === 0) return `“${file.name}” is empty.`;
  if (file.size > MAX_ATTACHMENT_BYTES) return `“${file.name}” is ${formatBytes(file.size)}; the limit is ${formatBytes(MAX_ATTACHMENT_BYTES)}.`;
  return null;
}

/** Base64 of the bytes, in chunks so a 10 MB file does not overflow the argument list. */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(binary);
}

export async function fileToUpload(file: File): Promise<CaseAttachmentUpload> {
  const contentType = attachmentTypeOf(file);
  if (!contentType) throw new Error(`“${file.name}” is not an accepted file type`);
  const bytes = new Uint8Array(await file.arrayBuffer());
  return { fileName: file.name, contentType, contentBase64: toBase64(bytes) };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
