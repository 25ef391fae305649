"""The dashboard in headless chromium: every number equals the API's answer (each figure keeps its raw value in
data-value and shows it formatted for people), CSVs download, scope holds, Chinese by default and English after the
switch, and panels needing an analysis that never ran say so."""

from __future__ import annotations

import csv
import io
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from tests.web.conftest import CONGHUA, DISTRICT, STREET, Service, shot, untranslated


def _page_all(service: Service, query: str, variables: dict[str, Any], field: str, role: str) -> list[Any]:
    out: list[Any] = []
    after = None
    while True:
        page = service.gql(query, {**variables, "after": after}, role=role)[field]
        out += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            return out
        after = page["pageInfo"]["endCursor"]


STATS = {"wishFunnel": "wish", "meetingStats": "meeting"}  # root field -> the page's KPI id prefix


def _fixed(value: float, digits: int = 1) -> str:
    """As JavaScript's toFixed: the float's exact value rounded half up (Python's format rounds half even)."""
    return str(Decimal(value).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def _figure(key: str, value: Any) -> str:
    """As the page formats wish and meeting figures: rates as percentages, null as a dash."""
    if value is None:
        return "—"
    if key.endswith("Rate"):
        return _fixed(100 * value) + "%"
    if isinstance(value, float) and not value.is_integer():
        return _fixed(value)
    return str(int(value))


def _scalars(service: Service, type_name: str) -> list[str]:
    fields = service.gql("query($t: String!) { __type(name: $t) { fields { name type { kind ofType { kind } } } } }",
                         {"t": type_name})["__type"]["fields"]
    return [f["name"] for f in fields if "SCALAR" in (f["type"]["kind"], (f["type"]["ofType"] or {}).get("kind"))]


def _stats(service: Service, region: str, role: str, signed: dict[str, str] | None) -> dict[str, str]:
    """The wish funnel and meeting KPIs as the API answers them for the page's key, region and date range."""
    period = {"from": (signed or {}).get("gte"), "to": (signed or {}).get("lte")}
    out: dict[str, str] = {}
    for field, prefix in STATS.items():
        fields = _scalars(service, "WishFunnel" if field == "wishFunnel" else "MeetingStats")
        data = service.gql(f"query($r: ID, $from: String, $to: String) {{ {field}(regionId: $r, from: $from, to: $to) "
                           f"{{ {' '.join(fields)} }} }}", {"r": region, **period}, role=role)[field]
        out.update({f"{prefix}-{k}": _figure(k, v) for k, v in data.items()})
    return out


def _per_alliance(service: Service, region: str, role: str, signed: dict[str, str] | None = None) -> list[list[str]]:
    period = {"from": (signed or {}).get("gte"), "to": (signed or {}).get("lte")}
    data = service.gql("""query($r: ID, $from: String, $to: String) { meetingStats(regionId: $r, from: $from, to: $to) {
      perAlliance { alliance { id name } meetings matters mattersDone overdue lastHeldOn } } }""",
                       {"r": region, **period}, role=role)["meetingStats"]["perAlliance"]
    return [[a["alliance"]["id"], a["alliance"]["name"], str(a["meetings"]), str(a["matters"]), str(a["mattersDone"]),
             str(a["overdue"]), a["lastHeldOn"] or ""] for a in data]


def _expected(service: Service, region: str, role: str, signed: dict[str, str] | None = None) -> dict[str, str]:
    c = service.gql("""query($r: ID!, $s: DateFilter) {
      agreements(where: {regionId: $r, signedOn: $s}, first: 1) { totalCount }
      active: agreements(where: {regionId: $r, signedOn: $s, status: {eq: "ACTIVE"}}, first: 1) { totalCount }
      pairings: agreements(where: {regionId: $r, signedOn: $s, kind: {eq: "PAIRING"}}, first: 1) { totalCount }
      items: listItems(where: {regionId: $r}, first: 1) { totalCount }
      claimed: listItems(where: {regionId: $r, unclaimed: false}, first: 1) { totalCount }
      unclaimed: listItems(where: {regionId: $r, unclaimed: true}, first: 1) { totalCount } }""",
                    {"r": region, "s": signed}, role=role)
    # the seed's definitions, paged out here independently of the totals the page asks for
    agreements = _page_all(service, """query($r: ID!, $s: DateFilter, $after: String) {
      agreements(where: {regionId: $r, signedOn: $s}, first: 100, after: $after) { pageInfo { hasNextPage endCursor }
      nodes { parties { role unit { ... on Organisation { id } ... on Enterprise { id } } } } } }""",
                           {"r": region, "s": signed}, "agreements", role)
    alliances = _page_all(service, """query($r: ID!, $after: String) {
      alliances(where: {regionId: $r}, first: 100, after: $after) { pageInfo { hasNextPage endCursor }
      nodes { committeeMembers { id } } } }""", {"r": region}, "alliances", role)
    signatories = {p["unit"]["id"] for a in agreements for p in a["parties"] if p["role"] == "乙方"}
    items = c["items"]["totalCount"]
    return {
        "units-with-agreements": str(len(signatories)),
        "agreements": str(c["agreements"]["totalCount"]),
        "active-agreements": str(c["active"]["totalCount"]),
        "pairings": str(c["pairings"]["totalCount"]),
        "list-items": str(items),
        "items-claimed": str(c["claimed"]["totalCount"]),
        "share-claimed": f"{100 * c['claimed']['totalCount'] / items:.1f}%" if items else "—",
        "items-unclaimed": str(c["unclaimed"]["totalCount"]),
        "committee-members": str(len({m["id"] for a in alliances for m in a["committeeMembers"]})),
        **_stats(service, region, role, signed),
    }


def _shown(page: Any) -> dict[str, str]:
    """The KPIs' raw figures (data-value), as the CSV has them."""
    pairs = page.eval_on_selector_all("[data-kpi]", "els => els.map(e => [e.dataset.kpi, e.dataset.value])")
    return dict(pairs)


def _texts(page: Any) -> dict[str, str]:
    """The KPIs as people read them."""
    pairs = page.eval_on_selector_all("[data-kpi]", "els => els.map(e => [e.dataset.kpi, e.textContent])")
    return dict(pairs)


ROWS = """els => els.map(e => [e.dataset.key, ...[...e.children].map(c => c.dataset.value ?? c.textContent)])"""


def _csv(page: Any, panel: str) -> list[list[str]]:
    with page.expect_download() as d:
        page.click(f"button[data-csv='{panel}']")
    text = Path(d.value.path()).read_bytes().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _alliance_rows(page: Any) -> list[list[str]]:
    rows: list[list[str]] = page.eval_on_selector_all("#meetings-table tbody tr", ROWS)
    return rows


def test_every_number_equals_the_api(open_page: Any, service: Service) -> None:
    page = open_page(f"/dashboard?regionId={DISTRICT}")
    shown = _shown(page)
    expected = _expected(service, DISTRICT, "admin")
    assert {k: shown.get(k) for k in expected} == expected
    assert expected["list-items"] == "1364"  # the seed's 1,364-item list
    assert expected["committee-members"] == "586"  # and its 586 part-time committee members
    assert expected["units-with-agreements"] == "1416"  # and its 1,416 signatory units (乙方)

    # fields the API does not have (yet) say so instead of failing
    roots = {f["name"] for f in service.gql("{ __schema { queryType { fields { name } } } }")["__schema"]["queryType"]
             ["fields"]}
    for field, panel in (("brokers", "brokers"), ("coverageGaps", "gaps")):
        state = page.get_attribute(f"#panel-{panel}", "data-state")
        assert state == ("ready" if field in roots else "unavailable"), (field, state)
    if "wishFunnel" not in roots:
        assert shown["wish-unavailable"] == "not available"

    streets = service.gql("query($r: ID!) { node(id: $r) { ... on Region { children { id } } } }",
                          {"r": DISTRICT})["node"]["children"]
    bars = dict(page.eval_on_selector_all("#panel-streets [data-region]",
                                          "els => els.map(e => [e.dataset.region, e.querySelector('[data-count]')"
                                          ".dataset.count])"))
    assert set(bars) == {s["id"] for s in streets}
    for street_id in list(bars)[:3]:
        count = service.gql("query($r: ID!) { agreements(where: {regionId: $r}, first: 1) { totalCount } }",
                            {"r": street_id})["agreements"]["totalCount"]
        assert bars[street_id] == str(count)

    aging_rows = page.eval_on_selector_all("#aging-table tbody tr", ROWS)
    aging = {key: value for key, _, value in aging_rows}
    assert aging["total"] == expected["items-unclaimed"]
    assert sum(int(v) for k, v in aging.items() if k != "total") == int(expected["items-unclaimed"])

    kpi_rows = _csv(page, "kpis")
    assert kpi_rows[0] == ["指标编号", "指标", "数值"]
    assert {r[0]: r[2] for r in kpi_rows[1:] if r[0] in expected} == expected
    street_rows = _csv(page, "streets")
    assert {r[0]: r[2] for r in street_rows[1:]} == bars
    labels = page.eval_on_selector_all("#aging-table tbody tr td:first-child", "els => els.map(e => e.textContent)")
    assert _csv(page, "aging")[1:] == [[label, value] for label, value in zip(labels, aging.values(), strict=True)]
    shot(page, "dashboard-district")
    assert page.errors == []


def test_date_range_and_street_scope(open_page: Any, service: Service) -> None:
    page = open_page("/dashboard", role="street")
    options = page.eval_on_selector_all("#region option", "els => els.map(e => e.value)")
    assert options == [STREET]  # the street key cannot pick the district or another street
    page.fill("#from", "2020-01-01")
    page.fill("#to", "2021-12-31")
    page.click("#params button[type=submit]")
    page.wait_for_selector("body[data-ready=true]")
    shown = _shown(page)
    expected = _expected(service, STREET, "street", {"gte": "2020-01-01", "lte": "2021-12-31"})
    assert {k: shown.get(k) for k in expected} == expected
    everything = service.gql("query($r: ID!) { agreements(where: {regionId: $r}, first: 1) { totalCount } }",
                             {"r": STREET}, role="street")["agreements"]["totalCount"]
    assert int(expected["agreements"]) < everything  # the range did filter
    shot(page, "dashboard-street")

    # asking for the district by URL is refused by the API: no district numbers appear
    page.goto(page.url.split("?")[0] + f"?regionId={DISTRICT}")
    page.wait_for_selector("body[data-ready]")
    page.wait_for_function("document.body.dataset.ready !== 'false'")
    district = service.gql("query($r: ID!) { agreements(where: {regionId: $r}, first: 1) { totalCount } }",
                           {"r": DISTRICT})["agreements"]["totalCount"]
    assert page.get_attribute("#panel-kpis", "data-state") == "error"
    assert _shown(page).get("agreements") != str(district)


def _stat_kpis(shown: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in shown.items() if k.startswith(tuple(f"{prefix}-" for prefix in STATS.values()))}


def test_wish_funnel_and_meetings_equal_the_api(open_page: Any, service: Service) -> None:
    """The conghua demo has wishes, meetings and matters: every figure and the per-alliance panel equal the API's
    answer for the same key, region and date range, and so do their CSV downloads."""
    page = open_page(f"/dashboard?regionId={CONGHUA}")
    for signed in (None, {"gte": "2020-07-01", "lte": "2020-10-31"}):
        if signed:
            page.fill("#from", signed["gte"])
            page.fill("#to", signed["lte"])
            page.click("#params button[type=submit]")
            page.wait_for_selector("body[data-ready=true]")
        expected = _stats(service, CONGHUA, "admin", signed)
        assert _stat_kpis(_shown(page)) == expected  # every wish and meeting card, and nothing unavailable
        if signed is None:
            everything = expected
            assert int(expected["wish-published"]) > 0 and int(expected["wish-fulfilled"]) > 0
            assert int(expected["meeting-meetings"]) > 0 and int(expected["meeting-matters"]) > 0
        else:  # the range did filter
            assert 0 < int(expected["wish-published"]) < int(everything["wish-published"])
            assert 0 < int(expected["meeting-meetings"]) < int(everything["meeting-meetings"])
        kpi_rows = _csv(page, "kpis")
        assert {r[0]: r[2] for r in kpi_rows[1:] if r[0] in expected} == expected

        alliances = _per_alliance(service, CONGHUA, "admin", signed)
        assert page.get_attribute("#panel-meetings", "data-state") == "ready"
        shown_rows = _alliance_rows(page)
        assert shown_rows == [[r[0], *r[1:]] for r in alliances[:len(shown_rows)]]
        assert len(shown_rows) == min(len(alliances), 15)
        meeting_rows = _csv(page, "meetings")
        assert meeting_rows[0] == ["联盟编号", "联盟", "会议", "事项", "已办结", "逾期", "最近召开"]
        assert meeting_rows[1:] == alliances
        assert sum(int(r[2]) for r in alliances) <= int(expected["meeting-meetings"])
    shot(page, "dashboard-conghua")
    assert page.errors == []


def _zh_date(iso: str) -> str:
    year, month, day = (int(part) for part in iso.split("-"))
    return f"{year}年{month}月{day}日"


def test_chinese_by_default_english_after_the_switch(open_page: Any, service: Service) -> None:
    page = open_page(f"/dashboard?regionId={DISTRICT}")
    assert page.get_attribute("html", "lang") == "zh-CN"
    assert page.title() == "区域化党建联盟图谱 · 数据看板"
    headings = page.eval_on_selector_all(".panel h2", "els => els.map(e => e.textContent)")
    assert headings[:1] == ["关键指标"] and {"覆盖缺口", "关键中介单位", "未认领事项的时长分布"} <= set(headings)
    assert page.inner_text("#panel-streets h2") == "各街道共建协议数"
    texts = _texts(page)
    assert texts["list-items"] == "1,364 项"  # the seed's 1,364-item list, as people write it
    assert texts["committee-members"] == "586 人"
    assert texts["units-with-agreements"] == "1,416 家"  # the seed's distinct 乙方 signatory units
    # every tile says on hover what it counts
    hover = dict(page.eval_on_selector_all(".kpi", "els => els.map(e => [e.querySelector('[data-kpi]').dataset.kpi, "
                                                   "e.title])"))
    assert "乙方" in hover["units-with-agreements"] and "同一单位只计一次" in hover["units-with-agreements"]
    assert "兼职委员" in hover["committee-members"]
    labels = dict(page.eval_on_selector_all(".kpi", "els => els.map(e => [e.querySelector('[data-kpi]').dataset.kpi, "
                                                    "e.querySelector('.label').textContent])"))
    assert all(hover[k] and hover[k] != labels[k] for k in hover if not k.endswith("-unavailable")), hover
    assert re.fullmatch(r"\d{1,2}\.\d%", texts["share-claimed"]), texts["share-claimed"]
    assert texts["share-claimed"] == _shown(page)["share-claimed"]

    # dates in the oldest-unclaimed table: 2018年4月10日 for 2018-04-10
    dates = page.eval_on_selector_all("#oldest-table td[data-value]", "els => els.map(e => [e.dataset.value, "
                                      "e.textContent]).filter(([v]) => /^\\d{4}-\\d{2}-\\d{2}$/.test(v))")
    assert dates and all(text == _zh_date(iso) for iso, text in dates), dates[:3]

    # brokers: split sizes summarised, not listed
    brokers = service.gql("query($r: ID) { brokers(regionId: $r, top: 10) { splitSizes } }", {"r": DISTRICT})["brokers"]
    assert brokers, "the analysed district has brokers"
    splits = page.eval_on_selector_all("#brokers-table tbody tr td:nth-child(3)", "els => els.map(e => e.textContent)")
    assert len(splits) == len(brokers)
    for text, broker in zip(splits, brokers, strict=True):
        sizes = broker["splitSizes"]
        assert text.startswith(f"拆分为 {len(sizes)} 块"), text
        if len(sizes) > 3:
            assert text == f"拆分为 {len(sizes):,} 块，最大 {max(sizes):,}", text
    assert "分析时间" in page.inner_text("#panel-brokers")

    # coverage gaps as readable sections with their counts
    gaps = service.gql("query($r: ID) { coverageGaps(regionId: $r) { unpairedCount agingCount idleCount } }",
                       {"r": DISTRICT})["coverageGaps"]
    sections = page.eval_on_selector_all("#panel-gaps [data-gap] h3", "els => els.map(e => e.textContent)")
    assert sections == [f"没有生效协议的社区和村（{gaps['unpairedCount']:,} 个）",
                        f"超过 90 天仍未认领完的清单事项（{gaps['agingCount']:,} 项）",
                        f"签了协议却未发布清单、也未认领的单位（{gaps['idleCount']:,} 家）"]
    assert untranslated(page) == []
    shot(page, "dashboard-zh")

    raw = _shown(page)
    page.click("#lang-switch")
    assert page.get_attribute("html", "lang") == "en"
    assert _shown(page) == raw  # the same figures, only written differently
    assert page.inner_text("#panel-kpis h2") == "Key figures"
    assert page.inner_text("#panel-streets h2") == "Agreements per street"
    assert _texts(page)["list-items"] == "1,364"
    assert _texts(page)["units-with-agreements"] == "1,416"
    assert page.get_attribute(".kpi:has([data-kpi='units-with-agreements'])", "title").startswith(
        "Stationed units that signed a co-building agreement as 乙方")
    assert _texts(page)["share-claimed"] == texts["share-claimed"]
    en_dates = page.eval_on_selector_all("#oldest-table td[data-value]", "els => els.map(e => e.textContent)")
    assert any(re.fullmatch(r"\d{1,2} [A-Z][a-z]{2,3} \d{4}", d) for d in en_dates), en_dates
    assert page.inner_text("#brokers-table tbody tr td:nth-child(3)").startswith("splits into ")
    assert page.inner_text("#lang-switch") == "中文"
    assert untranslated(page) == []
    shot(page, "dashboard-en")

    # the choice is kept: a new visit opens in English, and switching back gives Chinese again
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    assert page.inner_text("#panel-kpis h2") == "Key figures"
    page.click("#lang-switch")
    assert page.inner_text("#panel-kpis h2") == "关键指标"
    assert page.evaluate("localStorage.getItem('alliance.lang')") == "zh-CN"
    assert page.errors == []


def test_brokers_say_not_analysed_until_an_analysis_ran(open_page: Any, service: Service) -> None:
    """The conghua demo was never analysed: the brokers panel says so and how to run it, instead of "none"."""
    scored = service.gql("query($r: ID) { centrality(metric: DEGREE, regionId: $r, top: 1) { score } }",
                         {"r": CONGHUA})["centrality"]
    assert scored == [], "the conghua demo must stay unanalysed for this test"
    page = open_page(f"/dashboard?regionId={CONGHUA}")
    assert page.get_attribute("#panel-brokers", "data-state") == "not-analysed"
    box = page.inner_text("#panel-brokers [data-analysis=none]")
    assert "尚未分析" in box
    assert f"alliance analyze --region {CONGHUA}" in box
    mutations = {f["name"] for f in service.gql("{ __schema { mutationType { fields { name } } } }")
                 ["__schema"]["mutationType"]["fields"]}
    if "runAnalysis" not in mutations:  # nothing to press until the API can start an analysis
        assert page.eval_on_selector_all("#panel-brokers button:not(.csv)", "els => els.length") == 0
    assert page.is_disabled("#panel-brokers button.csv")
    assert untranslated(page) == []
    shot(page, "dashboard-not-analysed")
    page.click("#lang-switch")
    box = page.inner_text("#panel-brokers [data-analysis=none]")
    assert "Not analysed yet" in box and f"alliance analyze --region {CONGHUA}" in box
    assert page.errors == []
