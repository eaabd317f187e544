// Parse Mermaid diagrams with Mermaid's own parser (no browser: jsdom stands in for the DOM).
// stdin: a JSON list of diagram texts. stdout: a JSON list, one result per diagram:
// {ok, error, type, config, title, sections, tasks: [{section, task, score, people}]}.
import { readFileSync } from "node:fs";
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });

const texts = JSON.parse(readFileSync(0, "utf8"));
const results = [];
for (const text of texts) {
  try {
    const parsed = await mermaid.parse(text);
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
    const db = diagram.db;
    // The diagram's db is shared and reused by the next parse: copy its answers now.
    results.push(JSON.parse(JSON.stringify({
      ok: true,
      type: parsed.diagramType,
      config: parsed.config ?? {},
      title: db.getDiagramTitle ? db.getDiagramTitle() : null,
      sections: db.getSections ? db.getSections() : [],
      tasks: (db.getTasks ? db.getTasks() : []).map((t) => ({
        section: t.section,
        task: t.task,
        score: t.score,
        people: t.people,
      })),
    })));
  } catch (error) {
    results.push({ ok: false, error: String(error && error.message ? error.message : error) });
  }
}
process.stdout.write(JSON.stringify(results));
