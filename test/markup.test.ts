import { attributes, dataUri, element, emptyElement } from '../src/markup.js';

test('attributes keep their order, escape their values and leave out undefined and false', () => {
  expect(attributes({ x: 3, title: 'a "b" & <c>', hidden: false, rx: undefined, class: 'n' })).toBe(
    ' x="3" title="a &quot;b&quot; &amp; &lt;c&gt;" class="n"',
  );
  expect(attributes({})).toBe('');
});

test('an element wraps markup content; an empty one closes itself', () => {
  expect(element('td', { class: 'n' }, '<b>1</b>')).toBe('<td class="n"><b>1</b></td>');
  expect(element('p', { class: false }, 'x')).toBe('<p>x</p>');
  expect(emptyElement('rect', { width: 4, fill: '#fff' })).toBe('<rect width="4" fill="#fff"/>');
});

test('a PNG becomes a base64 data URI', () => {
  expect(dataUri(Buffer.from([137, 80, 78, 71]))).toBe('data:image/png;base64,iVBORw==');
});
