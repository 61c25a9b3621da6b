// アンケート for 子育て staff: build a survey (four question types), aim and
// schedule it, and watch the results come in (polled), with an xlsx copy.
import { pb, h, refreshAccount, initPage, setStatus, busy, showErrors, errorMessage, formatDateTime, downloadFile } from "/assets/app.js";
import { audienceBuilder, instant, isChildStaff } from "/child/notices/audience.js";

const $ = (id) => document.getElementById(id);
const STATUS = { draft: "下書き", scheduled: "公開予約", open: "受付中", closed: "締切" };
const TYPES = { single: "単一選択", multi: "複数選択", text: "自由記述", scale: "段階評価" };
let current = "";
let seq = 0;

function questionEditor() {
  const n = ++seq;
  const id = (k) => `q${n}-${k}`;
  const type = h("select", { id: id("type") }, ...Object.entries(TYPES).map(([v, l]) => h("option", { value: v }, l)));
  const options = h("div", { class: "field" }, h("label", { for: id("options") }, "選択肢（1行に1つ）"), h("textarea", { id: id("options"), rows: 4 }));
  const scale = h("div", { class: "grid-2", hidden: true },
    h("div", { class: "field" }, h("label", { for: id("min") }, "最小"), h("input", { id: id("min"), type: "number", value: "1", min: 0 })),
    h("div", { class: "field" }, h("label", { for: id("max") }, "最大"), h("input", { id: id("max"), type: "number", value: "5", min: 1 })));
  const box = h("fieldset", { class: "question-editor", dataset: { n: String(n) } },
    h("legend", {}, `質問 ${n}`),
    h("div", { class: "field" }, h("label", { for: id("label") }, "質問文"), h("input", { id: id("label"), maxlength: 300 })),
    h("div", { class: "field" }, h("label", { for: id("type") }, "種類"), type),
    options, scale,
    h("label", { class: "choice" }, h("input", { type: "checkbox", id: id("required") }), " 回答を必須にする"),
    h("button", { class: "btn btn-small btn-secondary", type: "button", onclick: () => box.remove() }, "この質問を削除"));
  type.addEventListener("change", () => {
    options.hidden = !["single", "multi"].includes(type.value);
    scale.hidden = type.value !== "scale";
  });
  box.read = () => {
    const q = { id: `q${n}`, type: type.value, label: $(id("label")).value.trim(), required: $(id("required")).checked };
    if (q.type === "single" || q.type === "multi") q.options = $(id("options")).value.split("\n").map((s) => s.trim()).filter(Boolean);
    if (q.type === "scale") Object.assign(q, { min: Number($(id("min")).value), max: Number($(id("max")).value) });
    return q;
  };
  return box;
}

async function main() {
  initPage();
  const me = await refreshAccount();
  if (!me) return;
  if (!isChildStaff(me)) {
    $("denied").hidden = false;
    return;
  }
  $("page").hidden = false;
  const audience = await audienceBuilder($("audience"));
  $("questions").append(questionEditor());
  $("add-question").addEventListener("click", () => $("questions").append(questionEditor()));
  const form = $("builder");
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const status = ev.submitter?.value || "scheduled";
    busy(form, async () => {
      const body = {
        title: $("title").value, description: $("description").value,
        questions: [...$("questions").children].map((b) => b.read()), audience: audience.read(),
        opensAt: instant($("opensAt")), closesAt: instant($("closesAt")), status,
      };
      try {
        await pb.collection("surveys").create(body);
        setStatus($("builder-status"), status === "draft" ? "下書きに保存しました。" : "公開を予約しました。受付開始の時刻に対象の方へ案内が届きます。", "ok");
        await list();
      } catch (err) {
        showErrors(form, err, $("builder-status"));
      }
    });
  });
  $("download").addEventListener("click", async () => {
    try {
      const name = await downloadFile(`/api/lifestage/surveys/${current}/results.xlsx`, {}, "survey.xlsx");
      setStatus($("results-summary"), `${name} を保存しました。`, "ok");
    } catch (err) {
      setStatus($("results-summary"), errorMessage(err), "error");
    }
  });
  await list();
  setInterval(() => { if (current) results(current); }, 30_000);
}

async function list() {
  try {
    const res = await pb.collection("surveys").getList(1, 50, { sort: "-created", skipTotal: true });
    $("rows").replaceChildren(...res.items.map((s) => h("tr", {},
      h("td", {}, s.title), h("td", {}, STATUS[s.status] || s.status),
      h("td", {}, `${formatDateTime(s.opensAt)}〜${formatDateTime(s.closesAt)}`), h("td", {}, String(s.responseCount || 0)),
      h("td", {},
        s.status === "open" || s.status === "closed" ? h("button", { class: "btn btn-small", type: "button", onclick: () => results(s.id) }, "集計を見る") : "",
        s.status === "open" ? h("button", { class: "btn btn-small btn-secondary", type: "button", onclick: () => close(s) }, "締め切る") : ""))));
  } catch (err) {
    setStatus($("list-status"), errorMessage(err), "error");
  }
}

async function close(s) {
  if (!confirm(`「${s.title}」を締め切りますか。`)) return;
  try {
    await pb.collection("surveys").update(s.id, { status: "closed" });
    await list();
  } catch (err) {
    setStatus($("list-status"), errorMessage(err), "error");
  }
}

function bars(labels, counts, total) {
  return labels.map((label, i) => {
    const pct = total ? (counts[i] / total) * 100 : 0;
    return h("div", { class: "result-row" }, h("span", {}, label),
      h("div", { class: "bar", role: "img", "aria-label": `${label}: ${counts[i]}件` }, h("span", { style: `width:${pct.toFixed(1)}%` })),
      h("span", {}, `${counts[i]}件`));
  });
}

function resultBlock(q, i) {
  const head = h("h3", {}, `Q${i + 1}. ${q.label}（${TYPES[q.type]}・回答 ${q.answered} 件）`);
  switch (q.type) {
    case "single":
    case "multi":
      return h("div", { class: "result" }, head, ...bars(q.options, q.counts, q.answered));
    case "scale": {
      const labels = q.counts.map((_, k) => String(q.min + k));
      return h("div", { class: "result" }, head, ...bars(labels, q.counts, q.answered),
        q.mean != null ? h("p", { class: "meta" }, `平均 ${q.mean.toFixed(2)}、中央値 ${q.median}`) : null);
    }
    default:
      return h("div", { class: "result" }, head, h("ul", {}, ...(q.texts || []).map((t) => h("li", {}, t))));
  }
}

async function results(id) {
  current = id;
  $("results").hidden = false;
  try {
    const r = await pb.send(`/api/lifestage/surveys/${id}/results`, { method: "GET" });
    $("results-title").textContent = `集計: ${r.title}`;
    setStatus($("results-summary"), `対象 ${r.targeted} 人、回答 ${r.responses} 件（回答率 ${(r.responseRate * 100).toFixed(1)}%）`, "ok");
    $("results-body").replaceChildren(...r.questions.map(resultBlock));
  } catch (err) {
    setStatus($("results-summary"), errorMessage(err), "error");
  }
}

main();
