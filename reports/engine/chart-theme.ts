/**
 * The look every chart shares: the document's font, one palette, French number and date
 * formats, a width that fits the content box of an A4 portrait page.
 */

// TODO(reports): on a phone the chart scales down as a whole; it does not reflow its labels.
/** Content width of A4 portrait with 20 mm margins (170 mm) at 96 px per inch, rounded down. */
export const chartWidthPx = 640;
export const chartHeightPx = 260;

export const chartFont = 'DejaVu Sans, Verdana, sans-serif';

/** Eight categories that stay apart in print, for colour-blind readers and in greyscale. */
export const palette = [
  '#1b5e7a',
  '#e69f00',
  '#3f9f6b',
  '#c8553d',
  '#7a5195',
  '#56b4e9',
  '#8c6d31',
  '#9e9e9e',
];

const frenchNumbers = {
  decimal: ',',
  thousands: '\u202f',
  grouping: [3],
  currency: ['', '\u00a0€'],
  percent: '\u00a0%',
};

const frenchTime = {
  dateTime: '%A %e %B %Y à %X',
  date: '%d/%m/%Y',
  time: '%H:%M:%S',
  periods: ['', ''],
  days: ['dimanche', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi'],
  shortDays: ['dim.', 'lun.', 'mar.', 'mer.', 'jeu.', 'ven.', 'sam.'],
  months: [
    'janvier',
    'février',
    'mars',
    'avril',
    'mai',
    'juin',
    'juillet',
    'août',
    'septembre',
    'octobre',
    'novembre',
    'décembre',
  ],
  shortMonths: [
    'janv.',
    'févr.',
    'mars',
    'avr.',
    'mai',
    'juin',
    'juil.',
    'août',
    'sept.',
    'oct.',
    'nov.',
    'déc.',
  ],
};

/** Vega-Lite configuration applied under each chart's own `config`. */
export const chartConfig: Record<string, unknown> = {
  font: chartFont,
  background: 'white',
  padding: 4,
  // The figure carries a French text alternative; Vega's own descriptions are in English.
  aria: false,
  locale: { number: frenchNumbers, time: frenchTime },
  view: { stroke: null },
  range: { category: palette },
  mark: { color: palette[0] },
  axis: {
    labelFontSize: 11,
    titleFontSize: 11,
    titleFontWeight: 'normal',
    labelColor: '#333333',
    titleColor: '#333333',
    gridColor: '#e3e3e3',
    domainColor: '#888888',
    tickColor: '#888888',
    labelLimit: 220,
    labelOverlap: true,
  },
  // Under the plot, so that the plot keeps the full width of the page.
  legend: {
    orient: 'bottom',
    direction: 'horizontal',
    labelFontSize: 11,
    titleFontSize: 11,
    titleFontWeight: 'normal',
    labelLimit: 220,
  },
  header: { labelFontSize: 11, titleFontSize: 11 },
  title: { fontSize: 12, fontWeight: 'bold', anchor: 'start' },
};
