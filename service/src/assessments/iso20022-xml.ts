import { SaxesParser } from 'saxes';
import { ServiceError, validationFailed } from '../errors.ts';

/**
 * ISO 20022 pacs.008 as banks send it: XML, with or without a namespace prefix (`Doc:`, `ns2:`,
 * `pacs:`), the `Document` alone or inside any envelope that also carries a head.001 Business
 * Application Header (`AppHdr`), e.g. SWIFT's `<BizMsgEnvlp>`, a `<RequestPayload>` or a
 * `<Message>`. The XML becomes the JSON rendering the JSON path already maps (iso20022.ts):
 * element names without their prefix, repeated elements as lists, an element's attributes next to
 * its text (`<IntrBkSttlmAmt Ccy="EUR">1.00</…>` → `{ Ccy: 'EUR', value: '1.00' }`).
 *
 * The parser (saxes) is strict XML 1.0 and never resolves an entity other than the five XML
 * predefines and character references, never reads a DTD and never opens a file or a URL. Any
 * DOCTYPE is refused outright (ISO 20022 messages never carry one), which closes external entities
 * (XXE) and entity expansion (billion laughs, quadratic blowup) before they start. Nesting depth
 * and element count are capped, and the HTTP body limit caps the size (ARCHITECTURE.md rule 6).
 */

const PACS008_NAMESPACE = /^urn:iso:std:iso:20022:tech:xsd:pacs\.008\.001\.(\d{2})$/;
const HEAD001_NAMESPACE = /^urn:iso:std:iso:20022:tech:xsd:head\.001\.001\.\d{2}$/;
const XMLNS_URI = 'http://www.w3.org/2000/xmlns/';
const XSI_URI = 'http://www.w3.org/2001/XMLSchema-instance';
/** pacs.008 versions this service reads: 001.02 (2009, SEPA) to 001.13 (2025). */
export const PACS008_VERSIONS = { min: 2, max: 13 } as const;
/** An ISO message nests about 12 deep; an envelope adds a few. Deeper is not a payment. */
export const MAX_XML_DEPTH = 64;
/** A 1 MiB body of the smallest elements has fewer; the cap bounds the tree built from it. */
export const MAX_XML_ELEMENTS = 100_000;
/** Elements that are lists in the schema: always arrays, so error paths always carry an index. */
const ALWAYS_LISTS = new Set(['CdtTrfTxInf']);

interface XmlElement {
  local: string;
  uri: string;
  attributes: Array<[string, string]>;
  children: XmlElement[];
  text: string;
}

/** What the pacs.002 answer needs to know about the message that came in. */
export interface Pacs008XmlSource {
  /** Two digits, "02" to "13"; null when the Document has no namespace and no header names it. */
  version: string | null;
  /** The Business Application Header's identifiers, when the message came with one. */
  appHeader: { bizMsgIdr?: string; msgDefIdr?: string; from?: string; to?: string } | null;
}

const malformed = (message: string) => new ServiceError(400, 'BAD_REQUEST', `the body is not well-formed XML: ${message}`, [{ path: 'body', message }]);

/** Parses XML text into a tree, refusing DOCTYPEs, over-deep nesting and too many elements. */
export function parseXml(text: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let count = 0;
  // saxes throws from write() when no error handler is set; the handlers below throw the same way.
  parser.on('doctype', () => {
    throw new ServiceError(400, 'BAD_REQUEST', 'a DOCTYPE is not allowed in an ISO 20022 message (no DTDs, no entities)', [
      { path: 'body', message: `DOCTYPE at line ${parser.line}: not allowed` },
    ]);
  });
  parser.on('opentag', (tag) => {
    count += 1;
    if (count > MAX_XML_ELEMENTS) throw malformed(`more than ${MAX_XML_ELEMENTS} elements`);
    if (stack.length >= MAX_XML_DEPTH) throw malformed(`elements nested deeper than ${MAX_XML_DEPTH} levels at line ${parser.line}`);
    const attributes: Array<[string, string]> = [];
    for (const attribute of Object.values(tag.attributes)) {
      if (attribute.uri === XMLNS_URI || attribute.prefix === 'xmlns' || attribute.name === 'xmlns' || attribute.uri === XSI_URI) continue;
      attributes.push([attribute.local, attribute.value]);
    }
    const element: XmlElement = { local: tag.local, uri: tag.uri, attributes, children: [], text: '' };
    const parent = stack.at(-1);
    if (parent) parent.children.push(element);
    else root = element;
    stack.push(element);
  });
  const addText = (value: string) => {
    const current = stack.at(-1);
    if (current) current.text += value;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('closetag', () => {
    stack.pop();
  });
  try {
    parser.write(text).close();
  } catch (error) {
    if (error instanceof ServiceError) throw error;
    // saxes says where: "line:column: message".
    const message = error instanceof Error ? error.message : String(error);
    const where = /^(\d+):(\d+): (.*)$/s.exec(message);
    throw malformed(where ? `line ${where[1]}, column ${where[2]}: ${where[3]}` : message);
  }
  if (!root) throw malformed('no root element');
  return root;
}

/** An element as the JSON renderings write it. */
function toJson(element: XmlElement): unknown {
  if (element.children.length === 0) {
    const text = element.text.trim();
    if (element.attributes.length === 0) return text === '' ? {} : text;
    return Object.fromEntries([...element.attributes, ['value', text]]);
  }
  // Object.fromEntries defines own properties: an element named __proto__ cannot reach a prototype.
  const grouped = new Map<string, unknown[]>();
  for (const child of element.children) {
    const list = grouped.get(child.local) ?? [];
    list.push(toJson(child));
    grouped.set(child.local, list);
  }
  const entries: Array<[string, unknown]> = [...element.attributes];
  for (const [name, values] of grouped) entries.push([name, values.length === 1 && !ALWAYS_LISTS.has(name) ? values[0] : values]);
  return Object.fromEntries(entries);
}

const childNamed = (element: XmlElement, local: string) => element.children.find((c) => c.local === local);
const textAt = (element: XmlElement | undefined, ...path: string[]): string | undefined => {
  let at = element;
  for (const name of path) at = at ? childNamed(at, name) : undefined;
  const text = at?.text.trim();
  return text ? text : undefined;
};

/** Every element (outside a Document) named `local`, depth first; Documents are not searched inside. */
function findAll(element: XmlElement, local: string, found: XmlElement[] = []): XmlElement[] {
  if (element.local === local) {
    found.push(element);
    return found;
  }
  for (const child of element.children) findAll(child, local, found);
  return found;
}

/**
 * Reads an XML pacs.008 into its JSON rendering (`{ Document: { FIToFICstmrCdtTrf } }`) and what
 * the answer needs (the version and the header). Errors are 400s naming where: malformed XML by
 * line and column, a wrong message or version by its element.
 */
export function readPacs008Xml(text: string): { body: { Document: { FIToFICstmrCdtTrf: unknown } }; source: Pacs008XmlSource } {
  const root = parseXml(text);
  const documents = findAll(root, 'Document');
  if (documents.length === 0) {
    throw validationFailed([{ path: root.local, message: `not a pacs.008: expected a Document element (found <${root.local}> without one)` }]);
  }
  if (documents.length > 1) throw validationFailed([{ path: 'Document', message: `one pacs.008 Document per request; this body has ${documents.length}` }]);
  const document = documents[0]!;
  const message = childNamed(document, 'FIToFICstmrCdtTrf');
  if (!message) {
    const held = document.children[0]?.local ?? 'nothing';
    throw validationFailed([
      { path: 'Document', message: `not a pacs.008: the Document holds ${held} (${document.uri || 'no namespace'}), expected FIToFICstmrCdtTrf` },
    ]);
  }

  const headers = findAll(root, 'AppHdr');
  if (headers.length > 1) throw validationFailed([{ path: 'AppHdr', message: 'more than one Business Application Header' }]);
  const header = headers[0];
  if (header && header.uri !== '' && !HEAD001_NAMESPACE.test(header.uri)) {
    throw validationFailed([{ path: 'AppHdr', message: `not a head.001 Business Application Header: ${header.uri}` }]);
  }
  const msgDefIdr = textAt(header, 'MsgDefIdr');
  if (msgDefIdr !== undefined && !/^pacs\.008\./.test(msgDefIdr)) {
    throw validationFailed([{ path: 'AppHdr.MsgDefIdr', message: `names ${msgDefIdr.slice(0, 40)}, but the Document is a pacs.008` }]);
  }

  let version: string | null = null;
  if (document.uri !== '') {
    const match = PACS008_NAMESPACE.exec(document.uri);
    if (!match)
      throw validationFailed([
        { path: 'Document', message: `namespace ${document.uri.slice(0, 80)} is not a pacs.008 (urn:iso:std:iso:20022:tech:xsd:pacs.008.001.NN)` },
      ]);
    version = match[1]!;
  } else if (msgDefIdr !== undefined) {
    version = /^pacs\.008\.001\.(\d{2})/.exec(msgDefIdr)?.[1] ?? null;
  }
  if (version !== null && (Number(version) < PACS008_VERSIONS.min || Number(version) > PACS008_VERSIONS.max)) {
    throw validationFailed([{ path: 'Document', message: `pacs.008.001.${version} is not supported: versions 001.02 to 001.13 are` }]);
  }

  const bic = (party: string) => textAt(header, party, 'FIId', 'FinInstnId', 'BICFI') ?? textAt(header, party, 'FIId', 'FinInstnId', 'BIC');
  const appHeader = header
    ? Object.fromEntries(
        Object.entries({ bizMsgIdr: textAt(header, 'BizMsgIdr'), msgDefIdr, from: bic('Fr'), to: bic('To') }).filter(([, v]) => v !== undefined),
      )
    : null;
  return { body: { Document: { FIToFICstmrCdtTrf: toJson(message) } }, source: { version, appHeader } };
}
