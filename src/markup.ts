import escapeHtml from 'escape-html';

/*
 * Elements for the HTML pages and SVG charts, built from attribute objects rather than long template strings:
 * every attribute value goes through the one HTML escaper (escape-html); content is markup already.
 */

/** An attribute's value; undefined or false leaves the attribute out. */
export type AttributeValue = string | number | undefined | false;

export type Attributes = Record<string, AttributeValue>;

/** ` name="value"` for each attribute, in the object's order, the values escaped. */
export function attributes(attrs: Attributes): string {
  return Object.entries(attrs)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== false)
    .map(([name, value]) => ` ${name}="${escapeHtml(String(value))}"`)
    .join('');
}

/** `<tag …>content</tag>`; `content` is markup (escape text with escape-html first). */
export function element(tag: string, attrs: Attributes, content: string): string {
  return `<${tag}${attributes(attrs)}>${content}</${tag}>`;
}

/** An SVG element without content: `<tag …/>`. */
export function emptyElement(tag: string, attrs: Attributes): string {
  return `<${tag}${attributes(attrs)}/>`;
}

/** A PNG as a data URI, for an image inside a page or a card. */
export function dataUri(png: Buffer): string {
  return `data:image/png;base64,${png.toString('base64')}`;
}
