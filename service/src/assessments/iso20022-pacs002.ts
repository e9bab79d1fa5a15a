import type { AssessmentResponse } from '../../../shared/src/assessments.ts';

/**
 * The ISO 20022 answer to an XML pacs.008: a pacs.002 FIToFIPmtStsRpt with one TxInfAndSts per
 * credit transfer, carrying the fraud decision as a transaction status:
 *   APPROVE                           → ACCP (accepted, customer profile: the checks before settlement passed)
 *   REJECT                            → RJCT, reason code FRAD (ExternalStatusReason1Code "fraudulent origin")
 *   MANUAL_REVIEW, HOLD, ESCALATE     → PDNG (pending: an analyst decides)
 *   a batch assessment still PENDING  → PDNG
 * and the assessment id, decision and risk score in StsRsnInf/AddtlInf (StsId is the assessment id
 * too). The XML is written by the small escaping writer below: every text and attribute value is
 * escaped and characters XML 1.0 cannot carry are dropped.
 */

/** The pacs.002 version of the same ISO release era as the pacs.008 that came in. */
export function pacs002VersionFor(pacs008Version: string | null): string {
  if (pacs008Version === null) return '10';
  const v = Number(pacs008Version);
  if (v <= 6) return '03'; // 2009–2015 messages (SEPA's pacs.008.001.02 is answered by pacs.002.001.03)
  if (v === 7) return '09';
  if (v <= 9) return '10'; // SWIFT CBPR+ and HVPS+: pacs.008.001.08 with pacs.002.001.10
  return '12';
}

/** pacs.002.001.09 and later carry OrgnlUETR; .03 predates the UETR. */
const carriesUetr = (pacs002Version: string) => Number(pacs002Version) >= 9;

export interface OriginalTransactionIds {
  InstrId?: string | undefined;
  EndToEndId?: string | undefined;
  TxId?: string | undefined;
  UETR?: string | undefined;
}

export interface StatusReportInput {
  /** The report's own MsgId (at most 35 characters). */
  messageId: string;
  /** From the injected clock (ARCHITECTURE.md rule 3). */
  createdAt: Date;
  original: {
    messageId: string;
    createdAt: string;
    /** "02" … "13", or null when the message did not say. */
    version: string | null;
    transactions: readonly OriginalTransactionIds[];
  };
  /** One per original transaction, in message order. */
  assessments: readonly AssessmentResponse[];
}

export type TransactionStatus = 'ACCP' | 'RJCT' | 'PDNG';

/** The ISO status of an assessment, and the external reason code when it has one. */
export function transactionStatusOf(assessment: AssessmentResponse): { status: TransactionStatus; reason?: string } {
  if (assessment.status === 'PENDING' || assessment.status === 'IN_PROGRESS' || assessment.decision === null) return { status: 'PDNG' };
  if (assessment.decision === 'APPROVE') return { status: 'ACCP' };
  if (assessment.decision === 'REJECT') return { status: 'RJCT', reason: 'FRAD' };
  return { status: 'PDNG' };
}

// XML 1.0 allows tab, newline, carriage return and everything from space up, bar the surrogates and U+FFFE/FFFF.
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
export const escapeXml = (text: string) => text.replace(NOT_XML, '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** ISO Max105Text: the longest AddtlInf line. */
const max105 = (text: string) => (text.length <= 105 ? text : `${text.slice(0, 104)}…`);

/** A tiny element tree: a leaf's text, or children; undefined children are left out. */
type XmlNode = { name: string; text?: string; children?: Array<XmlNode | undefined>; attributes?: Record<string, string> };
const leaf = (name: string, text: string | undefined): XmlNode | undefined => (text === undefined ? undefined : { name, text });
const node = (name: string, ...children: Array<XmlNode | undefined>): XmlNode => ({ name, children });

function write(n: XmlNode, indent: string, out: string[]): void {
  const attributes = Object.entries(n.attributes ?? {})
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join('');
  if (n.text !== undefined) {
    out.push(`${indent}<${n.name}${attributes}>${escapeXml(n.text)}</${n.name}>`);
    return;
  }
  out.push(`${indent}<${n.name}${attributes}>`);
  for (const child of n.children ?? []) if (child) write(child, `${indent}  `, out);
  out.push(`${indent}</${n.name}>`);
}

export function pacs002Xml(input: StatusReportInput): string {
  const version = pacs002VersionFor(input.original.version);
  const transactions = input.assessments.map((assessment, i) => {
    const ids = input.original.transactions[i] ?? {};
    const { status, reason } = transactionStatusOf(assessment);
    const score = assessment.riskScore === null ? 'not scored yet' : `risk score ${assessment.riskScore.toFixed(2)} (${assessment.riskLevel})`;
    const summary = `Assessment ${assessment.assessmentId}; decision ${assessment.decision ?? assessment.status}; ${score}`;
    return node(
      'TxInfAndSts',
      leaf('StsId', assessment.assessmentId.slice(0, 35)),
      leaf('OrgnlInstrId', ids.InstrId),
      leaf('OrgnlEndToEndId', ids.EndToEndId),
      leaf('OrgnlTxId', ids.TxId),
      carriesUetr(version) ? leaf('OrgnlUETR', ids.UETR) : undefined,
      leaf('TxSts', status),
      node(
        'StsRsnInf',
        node('Orgtr', leaf('Nm', 'Wekeza Risk Workstation')),
        reason ? node('Rsn', leaf('Cd', reason)) : undefined,
        leaf('AddtlInf', max105(summary)),
        assessment.decisionReason ? leaf('AddtlInf', max105(assessment.decisionReason)) : undefined,
      ),
    );
  });
  const document: XmlNode = {
    name: 'Document',
    attributes: { xmlns: `urn:iso:std:iso:20022:tech:xsd:pacs.002.001.${version}` },
    children: [
      node(
        'FIToFIPmtStsRpt',
        node('GrpHdr', leaf('MsgId', input.messageId.slice(0, 35)), leaf('CreDtTm', input.createdAt.toISOString())),
        node(
          'OrgnlGrpInfAndSts',
          leaf('OrgnlMsgId', input.original.messageId),
          leaf('OrgnlMsgNmId', input.original.version === null ? 'pacs.008' : `pacs.008.001.${input.original.version}`),
          leaf('OrgnlCreDtTm', input.original.createdAt),
          leaf('OrgnlNbOfTxs', String(input.assessments.length)),
        ),
        ...transactions,
      ),
    ],
  };
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  write(document, '', out);
  return `${out.join('\n')}\n`;
}
