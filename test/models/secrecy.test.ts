import { describe, expect, it } from 'vitest';
import { maskFigures, type SecrecyCell } from '../../models/secrecy.js';
import { queryInventory } from './run-models.js';

/** Three sub-sectors in one sector, PCAET sector and scope: the table's only groupings. */
const groups = ['I.1.1', 'I.2.1', 'I.3.1'].map((gpcRef) => ({
  gpcRef,
  sector: 'I',
  pcaetSector: 'residential',
  scope: 1,
}));
const settings = { minimumUnits: 3, dominanceShare: 0.85 };

const cell = (
  rowKey: string,
  gpcRef: string,
  tco2e: number | null,
  deliveryPoints: number | null = 10,
  largestSinglePointTco2e: number | null = null,
): SecrecyCell => ({
  rowKey,
  gpcRef,
  tco2e,
  notationKey: tco2e === null ? 'C' : null,
  deliveryPoints,
  largestSinglePointTco2e,
});

function maskedOf(cells: SecrecyCell[]): string[] {
  return maskFigures(cells, groups, settings)
    .filter((figure) => figure.masked)
    .map((figure) => `${figure.nodeKind} ${figure.nodeKey} ${figure.reason}`);
}

describe('statistical secrecy', () => {
  it('masks a cell of too few delivery points and a cycle of partners around it', () => {
    /*
     * r1: 10 (1 point), 20, 30; r2: 40, 50, 60. r1|I.1.1 has 1 < 3 points. Row r1 then needs a
     * partner: 20 and 30 would both leave their column alone, so the smaller, 20. Column I.1.1
     * needs one: r2's 40. Column I.2.1 needs one: r2's 50, which pairs with 40 in row r2. The
     * four cells a, b, c, d form a cycle: rows give a + b and c + d, columns a + c and b + d,
     * rank 3 for 4 unknowns, so none is recoverable (checked with sympy).
     */
    expect(
      maskedOf([
        cell('r1', 'I.1.1', 10, 1),
        cell('r1', 'I.2.1', 20),
        cell('r1', 'I.3.1', 30),
        cell('r2', 'I.1.1', 40),
        cell('r2', 'I.2.1', 50),
        cell('r2', 'I.3.1', 60),
      ]),
    ).toEqual([
      'cell r1|I.1.1 few-units',
      'cell r1|I.2.1 secondary',
      'cell r2|I.1.1 secondary',
      'cell r2|I.2.1 secondary',
    ]);
  });

  it('masks a cell where one delivery point reaches the dominance share', () => {
    const table = (largest: number) => [
      cell('r1', 'I.1.1', 100, 40, largest),
      cell('r1', 'I.2.1', 20),
      cell('r2', 'I.1.1', 50),
      cell('r2', 'I.2.1', 30),
    ];

    // 90 / 100 and 85 / 100 reach 0.85; 84 / 100 does not, and nothing else is secret.
    expect(maskedOf(table(90))).toEqual([
      'cell r1|I.1.1 dominance',
      'cell r1|I.2.1 secondary',
      'cell r2|I.1.1 secondary',
      'cell r2|I.2.1 secondary',
    ]);
    expect(maskedOf(table(85))[0]).toBe('cell r1|I.1.1 dominance');
    expect(maskedOf(table(84))).toEqual([]);
  });

  it('tells where dominance could be tested and where the providers give counts only', () => {
    const figures = maskFigures(
      [cell('r1', 'I.1.1', 100, 40, 10), cell('r1', 'I.2.1', 20, 12), cell('r1', 'I.3.1', 5, null)],
      groups,
      settings,
    );

    expect(
      figures
        .filter((figure) => figure.nodeKind === 'cell')
        .map((figure) => [figure.nodeKey, figure.dominanceBasis]),
    ).toEqual([
      ['r1|I.1.1', 'single-point rows'],
      ['r1|I.2.1', 'not testable: the provider gives counts only'],
      ['r1|I.3.1', 'not applicable: no delivery points'],
    ]);
  });

  it("masks a provider secret's complements inside the table when its cells can", () => {
    /*
     * r1: secret, 20, 30; r2: 40, 50, 60; r3: 70, 80, 90 (columns I.1.1, I.2.1, I.3.1). The
     * secret counts as masked in row r1 and column I.1.1: partners 20 (row r1, the smaller),
     * 40 (column I.1.1, the smaller), 50 (column I.2.1: it pairs with 40 in row r2). The audit
     * then finds 20 given away by r1's total (20 + 30): it masks 30, whose column takes 60 (it
     * pairs in row r2); then 40 given away by column I.1.1 (our totals leave the secret out):
     * it masks 70, whose row takes 80 (80 pairs in column I.2.1). Published: the three row and
     * three column totals, rank 5 for 7 unknowns, none recoverable (checked with sympy): no
     * total needs masking.
     */
    const figures = maskFigures(
      [
        cell('r1', 'I.1.1', null, null),
        cell('r1', 'I.2.1', 20),
        cell('r1', 'I.3.1', 30),
        cell('r2', 'I.1.1', 40),
        cell('r2', 'I.2.1', 50),
        cell('r2', 'I.3.1', 60),
        cell('r3', 'I.1.1', 70),
        cell('r3', 'I.2.1', 80),
        cell('r3', 'I.3.1', 90),
      ],
      groups,
      settings,
    );

    expect(
      figures
        .filter((figure) => figure.masked)
        .map((figure) => `${figure.nodeKind} ${figure.nodeKey} ${figure.reason}`),
    ).toEqual([
      'cell r1|I.1.1 provider-secret',
      'cell r1|I.2.1 secondary',
      'cell r1|I.3.1 secondary',
      'cell r2|I.1.1 secondary',
      'cell r2|I.2.1 secondary',
      'cell r2|I.3.1 secondary',
      'cell r3|I.1.1 secondary',
      'cell r3|I.2.1 secondary',
    ]);
  });

  it("masks a provider secret's complements up to the totals when cells cannot protect them", () => {
    /*
     * r1: secret, 20; r2: 40, 50; r3: 70, 80 (columns I.1.1, I.2.1). Partners: 20 (row r1), 40
     * (column I.1.1, the smaller), 50 (column I.2.1: it pairs with 40 in row r2). Our totals
     * leave the secret out, so r1's total is 20 alone: the audit masks it, and the sum of the
     * rows then takes r2's total (it pairs with r2's masked cells). Column I.1.1 still gives 40
     * away (110 − 70): the audit masks 70, whose row takes 80. Left published: r3 = e + f,
     * columns c + e and b + d + f, and their sum: rank 3 for 5 unknowns, and neither a cell nor
     * a masked total is recoverable (checked with sympy).
     */
    expect(
      maskedOf([
        cell('r1', 'I.1.1', null, null),
        cell('r1', 'I.2.1', 20),
        cell('r2', 'I.1.1', 40),
        cell('r2', 'I.2.1', 50),
        cell('r3', 'I.1.1', 70),
        cell('r3', 'I.2.1', 80),
      ]),
    ).toEqual([
      'cell r1|I.1.1 provider-secret',
      'cell r1|I.2.1 secondary',
      'cell r2|I.1.1 secondary',
      'cell r2|I.2.1 secondary',
      'cell r3|I.1.1 secondary',
      'cell r3|I.2.1 secondary',
      'commune r1 secondary',
      'commune r2 secondary',
    ]);
  });

  it('masks the fixture territory for the public and leaves the committee its values', async () => {
    /*
     * Lagord's residential gas (I.1.1, 8.6 t) has 2 delivery points; La Rochelle's tertiary gas
     * (I.2.1) is `secret`. Partners: Lagord's I.1.2 (5.6 t, its row's only other cell); in
     * La Rochelle's row, for the secret, its I.1.2 (11.2 t: it pairs with Lagord's in column
     * I.1.2, as 107.5 t would in I.1.1, and is smaller); then La Rochelle's I.1.1 (107.5 t,
     * column I.1.1's only other cell). Rows 17200 and 17300 and columns I.1.1 and I.1.2 each
     * hold two unknowns: rank 3 for 4, none recoverable (checked with sympy).
     */
    const cells = await queryInventory(
      `select row_key, gpc_ref, round(tco2e, 9) as tco2e, notation_key, masked, mask_reason
       from public_inventory_commune_sector where row_key <> 'epci' order by row_key, gpc_ref`,
    );
    const gpc = await queryInventory(
      `select p.gpc_ref, round(p.tco2e, 9) as public_tco2e, round(g.tco2e, 9) as committee_tco2e,
         p.notation_key from public_inventory_gpc as p join inventory_gpc as g using (gpc_ref)
       where g.tco2e is not null or g.notation_key = 'C' order by p.gpc_ref`,
    );

    expect(cells).toEqual([
      {
        row_key: '17200',
        gpc_ref: 'I.1.1',
        tco2e: null,
        notation_key: 'C',
        masked: true,
        mask_reason: 'few-units',
      },
      {
        row_key: '17200',
        gpc_ref: 'I.1.2',
        tco2e: null,
        notation_key: 'C',
        masked: true,
        mask_reason: 'secondary',
      },
      {
        row_key: '17300',
        gpc_ref: 'I.1.1',
        tco2e: null,
        notation_key: 'C',
        masked: true,
        mask_reason: 'secondary',
      },
      {
        row_key: '17300',
        gpc_ref: 'I.1.2',
        tco2e: null,
        notation_key: 'C',
        masked: true,
        mask_reason: 'secondary',
      },
      {
        row_key: '17300',
        gpc_ref: 'I.2.1',
        tco2e: null,
        notation_key: 'C',
        masked: true,
        mask_reason: 'provider-secret',
      },
      {
        row_key: '17300',
        gpc_ref: 'I.2.2',
        tco2e: 10.4,
        notation_key: null,
        masked: false,
        mask_reason: null,
      },
    ]);
    // Every sub-sector total stays published: the masks are protected inside the table.
    expect(gpc).toEqual([
      { gpc_ref: 'I.1.1', public_tco2e: 116.1, committee_tco2e: 116.1, notation_key: null },
      { gpc_ref: 'I.1.2', public_tco2e: 68.8, committee_tco2e: 68.8, notation_key: null },
      { gpc_ref: 'I.2.1', public_tco2e: null, committee_tco2e: null, notation_key: 'C' },
      { gpc_ref: 'I.2.2', public_tco2e: 10.4, committee_tco2e: 10.4, notation_key: null },
      { gpc_ref: 'II.1.1', public_tco2e: 0.029481, committee_tco2e: 0.029481, notation_key: null },
      { gpc_ref: 'III.1.1', public_tco2e: 2.175, committee_tco2e: 2.175, notation_key: null },
      { gpc_ref: 'III.2.1', public_tco2e: 0.47875, committee_tco2e: 0.47875, notation_key: null },
      { gpc_ref: 'III.3.1', public_tco2e: 0.435, committee_tco2e: 0.435, notation_key: null },
    ]);
  });
});
