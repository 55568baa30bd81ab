import { describe, expect, it } from 'vitest';
import {
  canonicalUnit,
  conversionTable,
  convertQuantity,
  factorActivityUnit,
  UnitConversionError,
} from '../../lib/units.js';

function thrownBy(run: () => unknown): UnitConversionError {
  try {
    run();
  } catch (error) {
    if (error instanceof UnitConversionError) return error;
    throw error;
  }
  throw new Error('expected a UnitConversionError');
}

describe('units and declared conversions', () => {
  it('reads the activity unit of the factor units met in Base Carbone and project files', () => {
    expect(
      [
        'kgCO2e/kWh',
        'kgCO2e/kWh PCS',
        'kgCO2e/kWh PCI',
        'kgCO2e/tonne de déchets',
        'kgCO2e/tonne',
        'kgCO2e/Kg',
        'kgCO2e/litre',
        'kgCO2e/passager.km',
        'kgCO2e/peq.km',
        'kgCO2e/km',
        'kgCO2e/t.km',
        'kgCO2e/m²',
        'kgCO2e/keuro',
      ].map(factorActivityUnit),
    ).toEqual([
      'kWh',
      'kWh PCS',
      'kWh PCI',
      't',
      't',
      'kg',
      'L',
      'passenger-km',
      'passenger-equivalent-km',
      'vehicle-km',
      't.km',
      undefined,
      undefined,
    ]);
    expect(canonicalUnit('  Tonne de DÉCHETS ')).toBe('t');
  });

  it('converts MWh to kWh and tonnes to kilograms by their SI factor', () => {
    expect(convertQuantity(441.735519, 'MWh', 'kWh').quantity).toBeCloseTo(441735.519, 9);
    expect(convertQuantity(2.5, 't', 'kg')).toMatchObject({
      quantity: 2500,
      path: { path: 't → kg ×1000', steps: 1 },
    });
    expect(convertQuantity(3, 'm3', 'L').quantity).toBe(3000);
    expect(convertQuantity(2000, 'kg', 't').quantity).toBe(2);
  });

  it('converts natural gas between PCS and PCI by 1.111, and only natural gas', () => {
    // 1 MWh PCS = 1000 kWh PCS = 1000 / 1.111 kWh PCI = 900.0900090009 kWh PCI (python3).
    const gas = convertQuantity(1, 'MWh PCS', 'kWh PCI', { carrier: 'natural-gas' });
    expect(gas.quantity).toBeCloseTo(900.0900090009001, 9);
    expect(gas.path.path).toBe('MWh PCS → kWh PCS ×1000; kWh PCS → kWh PCI ÷1.111');
    expect(convertQuantity(1, 'kWh PCI', 'kWh PCS', { carrier: 'natural-gas' }).quantity).toBe(
      1.111,
    );

    const error = thrownBy(() =>
      convertQuantity(1, 'kWh PCS', 'kWh PCI', { carrier: 'heating-oil' }),
    );
    expect(error).toBeInstanceOf(UnitConversionError);
    expect(error.message).toBe('no declared conversion from kWh PCS to kWh PCI for heating-oil');
    expect(error.context).toEqual({ from: 'kWh PCS', to: 'kWh PCI', carrier: 'heating-oil' });
  });

  it('never converts vehicle-km into passenger-km without a declared occupancy', () => {
    expect(() => convertQuantity(1, 'vehicle-km', 'passenger-km')).toThrow(UnitConversionError);
    expect(() => convertQuantity(1, 'vehicle-km', 'passenger-km')).toThrow(
      'no declared conversion from vehicle-km to passenger-km',
    );
    const declared = [
      {
        from: 'vehicle-km',
        to: 'passenger-km',
        multiplier: 12,
        activityKey: 'transit-bus-diesel',
        source: 'occupancy survey (test)',
      },
    ];
    expect(
      convertQuantity(10, 'vehicle-km', 'passenger-km', {
        activityKey: 'transit-bus-diesel',
        declared,
      }).quantity,
    ).toBe(120);
    expect(() =>
      convertQuantity(10, 'vehicle-km', 'passenger-km', { activityKey: 'transit-tram', declared }),
    ).toThrow('no declared conversion from vehicle-km to passenger-km for transit-tram');
  });

  it('chains a declared consumption per vehicle-km with the litre conversions', () => {
    const declared = [
      {
        from: 'vehicle-km',
        to: 'L',
        multiplier: 0.465,
        activityKey: 'transit-bus-diesel',
        source: 'arrêté of 10 April 2012',
      },
    ];
    // 1,000 vehicle-km × 0.465 L/km = 465 L = 0.465 m3.
    const converted = convertQuantity(1000, 'vehicle-km', 'm3', {
      activityKey: 'transit-bus-diesel',
      declared,
    });
    expect(converted.quantity).toBeCloseTo(0.465, 12);
    expect(converted.path).toMatchObject({
      path: 'vehicle-km → L ×0.465; L → m3 ÷1000',
      source: 'arrêté of 10 April 2012; SI definition of the litre',
      steps: 2,
    });
  });

  it('refuses a declared conversion to a unit it does not know', () => {
    const error = thrownBy(() =>
      conversionTable([{ from: 'kWh', to: 'therm', multiplier: 0.03, source: 'test' }]),
    );
    expect(error).toBeInstanceOf(UnitConversionError);
    expect(error.message).toBe('conversion 11: unknown unit "therm"');
  });
});
