// 見守り対象者の登録 for 高齢福祉担当: import a resident-register extract,
// review the candidates the rules propose, and confirm them as watch
// targets (each gets its QR code on the server).
import { pb, h, requireAccount, initPage, errorMessage, setStatus, showErrors, clearErrors, reportInvalid, busy, downloadFile } from "/assets/app.js";

const $ = (id) => document.getElementById(id);
const PER_PAGE = 50;
const KINDS = { alone: "一人暮らし", elderlyOnly: "高齢者のみ", other: "その他", any: "問わない" };
const SEX = { male: "男", female: "女" };

const state = { page: 1, totalPages: 0, selected: new Map() }; // resident id -> name

async function importFile(e) {
  e.preventDefault();
  const form = e.currentTarget;
  clearErrors(form);
  const file = form.elements.file.files[0];
  if (!reportInvalid(form, file ? [] : [["file", "住民記録のCSVファイルを選んでください。"]], $("import-status"))) return;
  const body = new FormData();
  body.append("file", file);
  await busy(form, async () => {
    try {
      setStatus($("import-status"), "取り込んでいます…");
      const res = await pb.send("/api/lifestage/watch/import", { method: "POST", body });
      showImport(res);
      setStatus($("import-status"), `取り込みました（新規${res.imported}人・更新${res.updated}人・取り込めなかった行${res.rejected}行）。`, res.rejected ? "error" : "ok");
      await loadCandidates();
    } catch (err) {
      showErrors(form, err, $("import-status"));
    }
  });
}

function showImport(res) {
  $("import-result").hidden = false;
  const facts = [
    ["文字コード", res.encoding], ["読み込んだ行", `${res.rows}行`], ["新しく登録", `${res.imported}人`],
    ["内容を更新", `${res.updated}人`], ["変更なし", `${res.unchanged}人`], ["世帯", `${res.households}世帯`],
    ["取り込めなかった行", `${res.rejected}行`],
  ];
  $("import-facts").replaceChildren(...facts.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
  const table = $("import-errors");
  table.hidden = res.errors.length === 0;
  table.tBodies[0].replaceChildren(...res.errors.map((e) =>
    h("tr", {}, h("td", { class: "num" }, `${e.row}行目`), h("td", {}, e.column || "（行全体）"), h("td", {}, e.message))));
  if (res.truncated) table.caption.textContent += "。誤りが多いため、最初の1000件だけ表示しています。";
}

async function loadCandidates() {
  const form = $("filter-form");
  const q = new URLSearchParams({ page: state.page, perPage: PER_PAGE });
  if (form.elements.rule.value) q.set("rule", form.elements.rule.value);
  if (form.elements.area.value) q.set("area", form.elements.area.value);
  const table = $("candidates");
  table.setAttribute("aria-busy", "true");
  try {
    const res = await pb.send(`/api/lifestage/watch/candidates?${q}`, { method: "GET" });
    fillRuleFilter(res.rules);
    state.totalPages = res.totalPages;
    $("candidates-count").textContent = res.rules.length
      ? `${res.totalItems}人（${res.asOf.replaceAll("-", "/")}時点の年齢）`
      : "有効な抽出条件がありません。下の「抽出条件」で有効にしてください。";
    table.tBodies[0].replaceChildren(...res.items.map(candidateRow));
    $("page-label").textContent = res.totalPages ? `${res.page} / ${res.totalPages}ページ` : "";
    $("prev").disabled = res.page <= 1;
    $("next").disabled = res.page >= res.totalPages;
    $("select-page").checked = res.items.length > 0 && res.items.every((c) => state.selected.has(c.resident));
    setStatus($("page-status"), "");
  } catch (err) {
    setStatus($("page-status"), errorMessage(err), "error");
  } finally {
    table.setAttribute("aria-busy", "false");
  }
}

function candidateRow(c) {
  const box = h("input", {
    type: "checkbox", value: c.resident, checked: state.selected.has(c.resident),
    onchange: (e) => select(c, e.target.checked),
  });
  const who = h("label", {}, box, " ", h("strong", {}, c.name),
    c.kana ? h("span", { class: "code" }, c.kana) : null,
    h("span", { class: "code" }, `${SEX[c.sex] || ""} ${c.birthDate.replaceAll("-", "/")}生 ${c.address || ""}`));
  return h("tr", {},
    h("td", {}, who),
    h("td", { class: "num" }, `${c.age}歳`),
    h("td", {}, c.areaName),
    h("td", {}, KINDS[c.householdKind] || c.householdKind),
    h("td", {}, c.rules.map((r) => r.name).join("、")));
}

function select(c, on) {
  if (on) state.selected.set(c.resident, c.name);
  else state.selected.delete(c.resident);
  const n = state.selected.size;
  $("selected-count").textContent = n ? `${n}人を選んでいます: ${[...state.selected.values()].slice(0, 10).join("、")}${n > 10 ? " ほか" : ""}` : "候補を選んでください。";
}

function selectPage(e) {
  for (const box of $("candidates").tBodies[0].querySelectorAll("input[type=checkbox]")) {
    if (box.checked !== e.target.checked) {
      box.checked = e.target.checked;
      box.dispatchEvent(new Event("change"));
    }
  }
}

function fillRuleFilter(rules) {
  const sel = $("filter-rule");
  const current = sel.value;
  sel.replaceChildren(h("option", { value: "" }, "すべての有効な条件"), ...rules.map((r) => h("option", { value: r.id }, r.name)));
  sel.value = rules.some((r) => r.id === current) ? current : "";
}

async function confirm(e) {
  e.preventDefault();
  const form = e.currentTarget;
  clearErrors(form);
  const body = {
    residents: [...state.selected.keys()],
    consentStatus: form.elements.consentStatus.value,
    frequency: form.elements.frequency.value,
    volunteer: form.elements.volunteer.value,
    organization: form.elements.organization.value,
  };
  await busy(form, async () => {
    try {
      const res = await pb.send("/api/lifestage/watch/candidates/confirm", { method: "POST", body });
      const parts = [`${res.created.length}人を見守り対象者にしました（QRコードを発行済み）。`];
      if (res.alreadyTargeted.length) parts.push(`${res.alreadyTargeted.length}人はすでに見守り対象者でした。`);
      if (res.notFound.length) parts.push(`${res.notFound.length}人は住民記録に見つかりませんでした。`);
      setStatus($("confirm-status"), parts.join(""), "ok");
      state.selected.clear();
      select({}, false);
      await loadCandidates();
    } catch (err) {
      showErrors(form, err, $("confirm-status"));
    }
  });
}

async function loadRules() {
  const rules = await pb.collection("watch_candidate_rules").getFullList({ sort: "name" });
  $("rules").replaceChildren(...rules.map((r) => {
    const box = h("input", {
      type: "checkbox", checked: r.active,
      onchange: async (e) => {
        try {
          await pb.collection("watch_candidate_rules").update(r.id, { active: e.target.checked });
          setStatus($("rule-status"), `「${r.name}」を${e.target.checked ? "有効" : "無効"}にしました。`, "ok");
          await loadCandidates();
        } catch (err) {
          e.target.checked = !e.target.checked;
          setStatus($("rule-status"), errorMessage(err), "error");
        }
      },
    });
    return h("li", {}, h("label", {}, box, " ", h("strong", {}, r.name),
      h("span", { class: "code" }, `${r.minAge}歳以上・${KINDS[r.household]}${r.areas.length ? `・${r.areas.length}地区` : "・市内全域"}${r.note ? ` — ${r.note}` : ""}`)));
  }));
}

async function addRule(e) {
  e.preventDefault();
  const form = e.currentTarget;
  clearErrors(form);
  await busy(form, async () => {
    try {
      await pb.collection("watch_candidate_rules").create({
        name: form.elements.name.value.trim(), minAge: Number(form.elements.minAge.value),
        household: form.elements.household.value, areas: [...form.elements.areas.selectedOptions].map((o) => o.value), active: true,
      });
      form.reset();
      setStatus($("rule-status"), "条件を追加しました。", "ok");
      await Promise.all([loadRules(), loadCandidates()]);
    } catch (err) {
      showErrors(form, err, $("rule-status"));
    }
  });
}

async function loadChoices() {
  const [areas, volunteers, orgs] = await Promise.all([
    pb.collection("areas").getFullList({ sort: "code", fields: "id,name,parent" }),
    pb.collection("volunteers").getFullList({ filter: "active = true", sort: "name", fields: "id,name,organization" }),
    pb.collection("organizations").getFullList({ sort: "name", fields: "id,name" }),
  ]);
  const leaves = areas.filter((a) => a.parent);
  const opts = (list) => list.map((x) => h("option", { value: x.id }, x.name));
  $("filter-area").append(...opts(leaves));
  $("rule-areas").append(...opts(leaves));
  $("volunteer").append(...opts(volunteers));
  $("organization").append(...opts(orgs));
}

async function main() {
  initPage();
  $("import-form").addEventListener("submit", importFile);
  $("sample").addEventListener("click", () =>
    downloadFile("/api/lifestage/watch/import/sample.csv", {}, "register-sample.csv").catch((err) => setStatus($("import-status"), errorMessage(err), "error")));
  $("filter-form").addEventListener("change", () => { state.page = 1; loadCandidates(); });
  $("prev").addEventListener("click", () => { state.page--; loadCandidates(); });
  $("next").addEventListener("click", () => { state.page++; loadCandidates(); });
  $("select-page").addEventListener("change", selectPage);
  $("confirm-form").addEventListener("submit", confirm);
  $("rule-form").addEventListener("submit", addRule);
  try {
    await Promise.all([loadChoices(), loadRules(), loadCandidates()]);
  } catch (err) {
    setStatus($("page-status"), errorMessage(err), "error");
  }
}

// Started last, so every module-level binding above is initialised.
const me = requireAccount(["city_staff"]);
if (me && me.department !== "elderly") {
  setStatus($("page-status"), "このページは高齢福祉担当の職員だけが使えます。", "error");
} else if (me) {
  main();
}
