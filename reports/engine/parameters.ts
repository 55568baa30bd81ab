import { z } from 'zod';
import { ReportError } from '../../lib/errors.js';
import type { ParameterSpec, ParameterType, ParameterValue } from './types.js';
import type { YamlBlock } from './yaml-block.js';

/** Parameter declarations of the front matter, and their resolution against caller values. */

export const parameterDeclarationSchema = z
  .object({
    type: z.enum(['integer', 'number', 'string', 'boolean']),
    default: z.union([z.number(), z.string(), z.boolean(), z.null()]).optional(),
    required: z.boolean().optional(),
    description: z.string().optional(),
  })
  .strict();

export type ParameterDeclaration = z.infer<typeof parameterDeclarationSchema>;

const parameterNamePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Builds the parameter specs of a report; a default of the wrong type is an error. */
export function parameterSpecs(
  file: string,
  declarations: Record<string, ParameterDeclaration>,
  frontMatter: YamlBlock,
): ParameterSpec[] {
  return Object.entries(declarations).map(([name, declaration]) => {
    const line = frontMatter.lineOf(['parameters', name]);
    if (!parameterNamePattern.test(name)) {
      throw new ReportError(file, `parameter name "${name}" must be a plain identifier`, line);
    }

    let defaultValue: ParameterValue | undefined;
    if (declaration.default !== undefined && declaration.default !== null) {
      defaultValue = coerceParameter(declaration.type, declaration.default);
      if (defaultValue === undefined) {
        throw new ReportError(
          file,
          `parameter "${name}" has a default of the wrong type: ${JSON.stringify(declaration.default)} is not ${describeType(declaration.type)}`,
          frontMatter.lineOf(['parameters', name, 'default']),
        );
      }
    }

    return {
      name,
      type: declaration.type,
      required: declaration.required ?? defaultValue === undefined,
      default: defaultValue,
      description: declaration.description,
      line,
    };
  });
}

/**
 * Resolves the caller's values against the declarations. Text is accepted for numbers and
 * booleans when it spells one exactly, because command lines and query strings carry text.
 */
export function resolveParameters(
  file: string,
  specs: readonly ParameterSpec[],
  given: Readonly<Record<string, unknown>>,
): Record<string, ParameterValue> {
  const declared = new Set(specs.map((spec) => spec.name));
  for (const name of Object.keys(given)) {
    if (!declared.has(name)) {
      const known = [...declared].join(', ') || 'none';
      throw new ReportError(file, `unknown parameter "${name}" (declared: ${known})`);
    }
  }

  const resolved: Record<string, ParameterValue> = {};
  for (const spec of specs) {
    const value = given[spec.name];

    if (value === undefined || value === null) {
      if (spec.default !== undefined) {
        resolved[spec.name] = spec.default;
        continue;
      }
      if (spec.required) {
        throw new ReportError(
          file,
          `missing required parameter "${spec.name}" (${describeType(spec.type)})`,
          spec.line,
        );
      }
      resolved[spec.name] = null;
      continue;
    }

    const coerced = coerceParameter(spec.type, value);
    if (coerced === undefined) {
      throw new ReportError(
        file,
        `parameter "${spec.name}" has the wrong type: ${JSON.stringify(value)} is not ${describeType(spec.type)}`,
        spec.line,
      );
    }
    resolved[spec.name] = coerced;
  }
  return resolved;
}

function describeType(type: ParameterType): string {
  return type === 'integer' ? 'an integer' : `a ${type}`;
}

function coerceParameter(type: ParameterType, value: unknown): ParameterValue | undefined {
  switch (type) {
    case 'string':
      return typeof value === 'string' ? value : undefined;
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      return undefined;
    case 'integer': {
      const number = numberFrom(value);
      return number !== undefined && Number.isSafeInteger(number) ? number : undefined;
    }
    case 'number':
      return numberFrom(value);
  }
}

function numberFrom(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || !/^-?\d+(\.\d+)?$/.test(value.trim())) return undefined;
  return Number(value);
}
