'use strict';
/**
 * A small JSON-schema checker for the contract's schema (what pydantic emits: $ref/$defs, type,
 * required, properties, additionalProperties, items, anyOf, enum, const). Returns the problems.
 */

/**
 * @param {any} schema
 * @param {any} value
 * @param {any} root
 * @param {string} [where]
 * @returns {string[]}
 */
function check(schema, value, root, where = '$') {
  if (schema === true || schema === undefined) return [];
  if (schema.$ref) {
    const name = schema.$ref.replace('#/$defs/', '');
    return check(root.$defs[name], value, root, where);
  }
  if (schema.anyOf) {
    const fits = schema.anyOf.some((/** @type {any} */ s) => check(s, value, root, where).length === 0);
    return fits ? [] : [`${where}: matches none of anyOf`];
  }
  if (schema.enum && !schema.enum.includes(value)) return [`${where}: ${JSON.stringify(value)} not in ${schema.enum}`];
  if ('const' in schema && schema.const !== value) return [`${where}: not ${schema.const}`];
  /** @type {string[]} */
  const problems = [];
  const types = schema.type === undefined ? [] : [schema.type].flat();
  if (types.length) {
    const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value;
    const ok = types.some((t) => t === actual || (t === 'number' && actual === 'integer'));
    if (!ok) return [`${where}: ${actual} is not ${types.join('|')}`];
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const key of schema.required ?? []) if (!(key in value)) problems.push(`${where}.${key}: missing`);
    for (const [key, item] of Object.entries(value)) {
      const sub = schema.properties?.[key] ?? schema.additionalProperties;
      problems.push(...check(sub, item, root, `${where}.${key}`));
    }
  }
  if (Array.isArray(value) && schema.items) {
    value.forEach((item, i) => problems.push(...check(schema.items, item, root, `${where}[${i}]`)));
  }
  return problems;
}

/**
 * @param {string} which a message of the schema: task, result, webhook_task, ...
 * @param {any} value
 */
function validate(which, value) {
  const schema = require('../contract/schema.json')[which];
  return check(schema, value, schema);
}

module.exports = { validate, check };
