// The follow-up list for 子育て city staff (spec §3(2)イ(エ)): children behind
// on statutory checkups or routine vaccines, with filters and an xlsx copy.
import {
  pb, requireAccount, refreshAccount, initPage, h, errorMessage, setStatus, busy, showErrors, downloadFile, formatCivilDate,
} from "/assets/app.js";

async function main() {
  initPage();
  const me = await refreshAccount();
  if (!me) return;
  if (me.collectionName !== "city_staff" || me.department !== "child") {
    document.getElementById("denied").hidden = false;
    return;
  }
  document.getElementById("followups").hidden = false;
  const form = document.getElementById("filters");
  const status = document.getElementById("status");
  const areas = await pb.collection("areas").getFullList({ filter: "parent != ''", sort: "code", fields: "id,name" }).catch(() => []);
  document.getElementById("area").append(...areas.map((a) => h("option", { value: a.id }, a.name)));

  const query = () => Object.fromEntries([...new FormData(form)].filter(([, v]) => v !== ""));
  async function show() {
    await busy(form, async () => {
      setStatus(status, "確認しています…");
      try {
        const r = await pb.send("/api/lifestage/child/followups", { query: query() });
        render(r.items || []);
        setStatus(status, `${formatCivilDate(r.asOf)}時点で ${r.total} 人です。`, "ok");
      } catch (err) {
        showErrors(form, err, status);
      }
    });
  }
  form.addEventListener("submit", (ev) => { ev.preventDefault(); show(); });
  document.getElementById("download").addEventListener("click", async () => {
    await busy(form, async () => {
      try {
        const name = await downloadFile("/api/lifestage/child/followups", { ...query(), format: "xlsx" }, "followups.xlsx");
        setStatus(status, `${name} を保存しました。`, "ok");
      } catch (err) {
        setStatus(status, errorMessage(err), "error");
      }
    });
  });
  show();
}

function render(items) {
  document.getElementById("rows").replaceChildren(...items.map((it) =>
    h("tr", {},
      h("th", { scope: "row" }, it.child.name, h("span", { class: "code" }, it.child.kana)),
      h("td", {}, formatCivilDate(it.child.birthDate)),
      h("td", { class: "num" }, Math.floor(it.child.ageMonths)),
      h("td", {}, it.child.areaName || "—"),
      h("td", {}, h("ul", { class: "plain-list" }, it.reasons.map((r) => h("li", {}, `${r.label}（期限 ${formatCivilDate(r.latest)}）`)))))));
}

if (requireAccount(["city_staff"])) main();
