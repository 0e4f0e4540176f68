// Strict readers for configuration documents parsed by parseXml (xml2js, explicitArray off): S3
// validates these bodies against its schema, so an unknown, repeated or misplaced element is
// MalformedXML, never silently ignored.
import { S3Error } from '../../../errors/s3-error.js';
import { asArray, textOf } from '../parse.js';

export type XmlFields = Record<string, unknown>;

const malformed = (): S3Error => new S3Error('MalformedXML');

/** The children of an element that holds elements (an empty element has none). */
export function fieldsOf(value: unknown): XmlFields {
  if (value === '') return {};
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const fields = value as XmlFields;
    // Text beside child elements (`<A>x<B/></A>`) is not in any S3 schema.
    if (typeof fields._ === 'string' && fields._.trim() !== '') throw malformed();
    return fields;
  }
  throw malformed();
}

/** Refuses children other than `names` (attributes such as xmlns are allowed). */
export function onlyFields(fields: XmlFields, names: readonly string[]): void {
  for (const name of Object.keys(fields)) {
    if (name !== '$' && name !== '_' && !names.includes(name)) throw malformed();
  }
}

/** A child that may appear at most once. */
export function one(fields: XmlFields, name: string): unknown {
  const value = fields[name];
  if (Array.isArray(value)) throw malformed();
  return value;
}

/** Every occurrence of a repeatable child, in document order. */
export const many = (fields: XmlFields, name: string): unknown[] => asArray(fields[name] as unknown);

/** The text of a single child; an element with children instead of text is malformed. */
export function textField(fields: XmlFields, name: string): string | undefined {
  const value = one(fields, name);
  if (value === undefined) return undefined;
  return textValue(value);
}

/** The text of an element value (attributes allowed, child elements not). */
export function textValue(value: unknown): string {
  if (value && typeof value === 'object') {
    const keys = Object.keys(value).filter((k) => k !== '$' && k !== '_');
    if (keys.length > 0) throw malformed();
  }
  return textOf(value) ?? '';
}

export function requiredText(fields: XmlFields, name: string): string {
  const text = textField(fields, name);
  if (text === undefined) throw malformed();
  return text;
}

/** An xsd:int / xsd:long child: optional sign and digits only, else MalformedXML. */
export function intField(fields: XmlFields, name: string): number | undefined {
  const text = textField(fields, name);
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (!/^[-+]?\d{1,16}$/.test(trimmed)) throw malformed();
  return Number(trimmed);
}

/** An xsd:boolean child (`true`, `false`, `1`, `0`), else MalformedXML. */
export function boolField(fields: XmlFields, name: string): boolean | undefined {
  const text = textField(fields, name);
  if (text === undefined) return undefined;
  switch (text.trim()) {
    case 'true':
    case '1':
      return true;
    case 'false':
    case '0':
      return false;
    default:
      throw malformed();
  }
}

/** A child whose text must be one of `values` (an xsd enumeration), else MalformedXML. */
export function enumField<T extends string>(fields: XmlFields, name: string, values: readonly T[]): T | undefined {
  const text = textField(fields, name);
  if (text === undefined) return undefined;
  if (!values.includes(text as T)) throw malformed();
  return text as T;
}

/** Checks the document's root element. */
export function expectRoot(root: string, name: string): void {
  if (root !== name) throw malformed();
}
