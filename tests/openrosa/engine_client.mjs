// A field device played by ODK's own form engine (@getodk/xforms-engine, from the npm registry) under
// Node.js with jsdom: it lists corridor's forms, downloads the registration form, fills it once per household
// given, lets the engine prepare each submission (prepareInstancePayload) and POSTs the engine's own multipart
// body to the submission URL, as ODK Collect does. Then it sends the first submission again (absorbed), the
// first one changed under the same instanceID (refused), and an edit of the first made by the engine's
// editInstance (meta/deprecatedID; reported, not applied).
//
// Usage: node engine_client.mjs PLAN.json — the plan: {"server": ".../key/<token>/openrosa",
// "households": [{"gathering_point", "destination", "persons": [{name_ar, name_latin, sex, birth_year,
// relationship}]}]}. Prints one JSON object: what the server answered to each step.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { JSDOM } = require('jsdom');

// The engine's bundle expects a browser: jsdom's window (DOM, XPath, parsers) on globalThis, and __dirname /
// module defined before it is imported. FormData, File, Blob and fetch stay Node's own, so the engine's
// multipart payload is sent by Node's fetch unchanged.
const dom = new JSDOM('<!doctype html><html><body></body></html>');
const KEEP_NODE_OWN = new Set(['FormData', 'File', 'Blob', 'fetch', 'Request', 'Response', 'Headers', 'URL',
  'URLSearchParams', 'TextEncoder', 'TextDecoder', 'crypto', 'performance', 'AbortController', 'AbortSignal',
  'Event', 'EventTarget', 'structuredClone', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval',
  'queueMicrotask', 'console', 'navigator', 'location']);
for (const name of Object.getOwnPropertyNames(dom.window)) {
  if (name in globalThis || KEEP_NODE_OWN.has(name)) continue;
  try { globalThis[name] = dom.window[name]; } catch { /* read-only on this Node */ }
}
globalThis.window = dom.window;
globalThis.document = dom.window.document;
globalThis.__dirname = path.dirname(fileURLToPath(import.meta.url));
globalThis.module = { exports: {} };

const { createInstance, editInstance } = await import('@getodk/xforms-engine');

const plan = JSON.parse(readFileSync(process.argv[2], 'utf-8'));
const OPENROSA = { 'X-OpenRosa-Version': '1.0' };

async function get(url) {
  const answer = await fetch(url, { headers: OPENROSA });
  if (answer.status !== 200) throw new Error(`GET ${url.replace(/ct_[\w-]+/, 'ct_…')}: ${answer.status}`);
  return answer.text();
}

function xmlText(doc, name) {
  return [...doc.getElementsByTagName(name)].map((e) => e.textContent);
}

function leaf(node) {
  return (node.definition?.nodeset ?? '').split('/').pop();
}

function find(node, name) {
  if (leaf(node) === name) return node;
  for (const child of node.currentState.children ?? []) {
    const found = find(child, name);
    if (found) return found;
  }
  return null;
}

function set(node, name, value) {
  if (value === undefined || value === null || value === '') return;
  const field = find(node, name);
  if (!field) throw new Error(`the form has no field ${name}`);
  if (field.nodeType === 'select') field.selectValue(String(value));
  else if (field.nodeType === 'input' && field.valueType === 'int') field.setValue(Number(value));
  else field.setValue(String(value));
}

function fill(instance, household) {
  const root = instance.root;
  set(root, 'gathering_point', household.gathering_point);
  set(root, 'destination', household.destination);
  const repeat = find(root, 'persons');
  const have = repeat.currentState.children.length;
  if (household.persons.length > have) repeat.addInstances(have - 1, household.persons.length - have);
  repeat.currentState.children.forEach((person, i) => {
    const p = household.persons[i];
    for (const name of ['name_ar', 'name_latin', 'sex', 'birth_year', 'relationship']) set(person, name, p[name]);
  });
}

async function payloadOf(instance) {
  const payload = await instance.root.prepareInstancePayload();
  if (payload.status !== 'ready') {
    throw new Error(`the engine finds the filled form not ready: ${JSON.stringify(payload.violations?.map(
      (v) => v.reference ?? v))}`);
  }
  return payload;
}

async function instanceXml(payload) {
  return payload.data[0].get('xml_submission_file').text();
}

async function post(url, body, language) {
  const headers = { ...OPENROSA, ...(language ? { 'Accept-Language': language } : {}) };
  const answer = await fetch(url, { method: 'POST', headers, body });
  const text = await answer.text();
  const message = new dom.window.DOMParser().parseFromString(text, 'text/xml')
    .getElementsByTagName('message')[0]?.textContent ?? '';
  return { status: answer.status, message, openrosa: answer.headers.get('x-openrosa-version'),
    accept: answer.headers.get('x-openrosa-accept-content-length'), date: answer.headers.get('date') };
}

const report = { forms: [], submissions: [] };
const list = new dom.window.DOMParser().parseFromString(await get(`${plan.server}/formList`), 'text/xml');
const ids = xmlText(list, 'formID');
const urls = xmlText(list, 'downloadUrl');
const hashes = xmlText(list, 'hash');
for (const [i, id] of ids.entries()) {
  const xml = await get(urls[i]);
  const loaded = await createInstance(xml);  // every listed form loads in the engine
  report.forms.push({ id, hash_matches: `md5:${createHash('md5').update(xml).digest('hex')}` === hashes[i],
    title: loaded.root.definition?.bodyElement?.title ?? null, languages: loaded.root.languages.map((l) => l.language) });
}
if (!plan.households.length) {  // only list, download and load the forms
  process.stdout.write(`${JSON.stringify(report)}\n`);
  process.exit(0);
}
const formXml = await get(urls[ids.indexOf('corridor_registration')]);
const submissionUrl = `${plan.server}/submission`;
const head = await fetch(submissionUrl, { method: 'HEAD', headers: OPENROSA });
report.head = { status: head.status, accept: head.headers.get('x-openrosa-accept-content-length') };

let first = null;
for (const household of plan.households) {
  const instance = await createInstance(formXml);
  fill(instance, household);
  const payload = await payloadOf(instance);
  const xml = await instanceXml(payload);
  const instanceID = /<instanceID>([^<]+)<\/instanceID>/.exec(xml)?.[1] ?? null;
  first = first ?? { payload, xml, instanceID };
  report.submissions.push({ step: 'new', instanceID, ...(await post(submissionUrl, payload.data[0])) });
}

// the same submission again, as Collect resends one whose answer it did not get
report.submissions.push({ step: 'again', instanceID: first.instanceID,
  ...(await post(submissionUrl, first.payload.data[0])) });

// the same instanceID with other content
const changed = new FormData();
const renamed = first.xml.replace(/<name_latin>[^<]*<\/name_latin>/, '<name_latin>Someone Else</name_latin>');
changed.append('xml_submission_file', new Blob([renamed], { type: 'text/xml' }), 'submission.xml');
report.submissions.push({ step: 'changed', instanceID: first.instanceID,
  ...(await post(submissionUrl, changed, 'ar')) });

// an edit made by the engine: a new instanceID, meta/deprecatedID naming the first
const edited = await editInstance(formXml, { inputType: 'FORM_INSTANCE_INPUT_RESOLVED', data: first.payload.data });
const person = find(edited.root, 'persons').currentState.children[0];
set(person, 'name_latin', 'Mohammad Al-Halabi');
const editPayload = await payloadOf(edited);
const editXml = await instanceXml(editPayload);
report.submissions.push({ step: 'edit', instanceID: /<instanceID>([^<]+)<\/instanceID>/.exec(editXml)?.[1],
  deprecatedID: /<deprecatedID>([^<]+)<\/deprecatedID>/.exec(editXml)?.[1] ?? null,
  ...(await post(submissionUrl, editPayload.data[0])) });

process.stdout.write(`${JSON.stringify(report)}\n`);
