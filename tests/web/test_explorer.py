"""The explorer in headless chromium: search in Chinese, expand, paired units, path, pixels, exports, scope; the page
in Chinese by default and in English after the switch; styles and details that need an analysis that never ran say
so."""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path
from typing import Any

from tests.web.conftest import CONGHUA, Service, settle, shot, untranslated

COMMUNITY = "福寿一社区"
COMMUNITY_ORG = "ORG-650106-000004"  # 福寿一社区党支部
OUTSIDE = "650106002"  # 中亚北路街道, outside the street key's region

UNIT = "... on Organisation { id name } ... on Enterprise { id name }"


def _open_community(page: Any) -> None:
    _drop(page, COMMUNITY, COMMUNITY_ORG)
    page.wait_for_selector("#paired-units", timeout=90_000)  # drop, layout and details: slow on a loaded box
    settle(page)


def _drop(page: Any, text: str, node_id: str) -> None:
    """Searches for text and drops the hit node_id on the canvas (which selects it)."""
    page.fill("#search", text)
    page.click("#search-form button[type=submit]")
    page.wait_for_selector(f"#search-results li[data-id='{node_id}']")
    page.click(f"#search-results li[data-id='{node_id}'] button")
    page.wait_for_function("id => window.__explorer.state.selected[0] === id", arg=node_id, timeout=90_000)
    settle(page, timeout=90_000)  # drop, layout and details: slow on a loaded box


def test_search_in_chinese_expand_and_paired_units(open_page: Any, service: Service) -> None:
    page = open_page("/explore")
    _open_community(page)
    hits = page.eval_on_selector_all("#search-results li[data-id]", "els => els.map(e => e.textContent)")
    assert any(COMMUNITY in h for h in hits)

    api = service.gql(f"query($id: ID!) {{ pairedUnits(organisationId: $id) {{ unit {{ {UNIT} }} }} }}",
                      {"id": COMMUNITY_ORG})["pairedUnits"]
    expected = {p["unit"]["id"] for p in api}
    assert expected, "the demo community has paired units"
    shown = set(page.eval_on_selector_all("#paired-units li[data-id]", "els => els.map(e => e.dataset.id)"))
    assert shown == expected

    page.select_option("#depth", "1")
    page.fill("#limit", "100")
    page.click("#expand-selected")
    settle(page)
    hood = service.gql("query($id: ID!) { neighbourhood(id: $id, depth: 1, limit: 100) { truncated nodes { id } } }",
                       {"id": COMMUNITY_ORG})["neighbourhood"]
    on_canvas = set(page.evaluate("window.__explorer.graph.nodes()"))
    assert {n["id"] for n in hood["nodes"]} <= on_canvas
    assert page.is_visible("#truncated") == hood["truncated"]

    page.click("#show-paired")
    settle(page)
    on_canvas = set(page.evaluate("window.__explorer.graph.nodes()"))
    assert expected <= on_canvas

    stats = page.evaluate("window.__explorer.pixelStats()")
    shot(page, "explore-community")
    assert stats["painted"] > 0.01 * stats["total"], stats  # nodes and edges were drawn, not a blank canvas
    assert stats["colours"] >= 3, stats
    assert page.errors == []


def test_two_selected_nodes_show_the_shortest_path(open_page: Any, service: Service) -> None:
    page = open_page("/explore")
    _open_community(page)
    page.click("#show-paired")
    settle(page)
    target = page.eval_on_selector("#paired-units li[data-id]", "e => e.dataset.id")
    page.select_option("#depth", "1")
    page.fill("#limit", "50")
    page.click("#expand-selected")
    settle(page)
    # click the two nodes where sigma drew them; the second with shift
    for node_id, shift in ((COMMUNITY_ORG, False), (target, True)):
        box = page.locator("#graph").bounding_box()
        point = page.evaluate("id => { const r = window.__explorer.renderer;"
                              " return r.framedGraphToViewport(r.getNodeDisplayData(id)); }", node_id)
        x, y = box["x"] + point["x"], box["y"] + point["y"]
        page.mouse.move(x, y)
        if shift:
            page.keyboard.down("Shift")
        page.mouse.click(x, y)
        if shift:
            page.keyboard.up("Shift")
        settle(page)
        page.wait_for_timeout(400)  # sigma takes two clicks within 300 ms, anywhere, for a double-click (expand)
    assert page.evaluate("window.__explorer.state.selected") == [COMMUNITY_ORG, target]
    page.click("#find-path")
    settle(page)
    path = service.gql("query($a: ID!, $b: ID!) { path(from: $a, to: $b) { nodes { id } edges { start end } } }",
                       {"a": COMMUNITY_ORG, "b": target})["path"]
    shown = page.eval_on_selector_all("#path-result li[data-id]", "els => els.map(e => e.dataset.id)")
    assert set(shown) == {n["id"] for n in path["nodes"]}
    assert shown[0] == COMMUNITY_ORG and shown[-1] == target
    assert len(shown) == len(path["edges"]) + 1
    shot(page, "explore-path")
    assert page.evaluate("window.__explorer.pixelStats()")["painted"] > 0


def _download(page: Any, button: str, count: int = 1) -> list[tuple[str, str]]:
    downloads: list[Any] = []

    def keep(download: Any) -> None:
        downloads.append(download)

    page.on("download", keep)
    page.click(button)
    for _ in range(100):
        if len(downloads) >= count:
            break
        page.wait_for_timeout(100)
    page.remove_listener("download", keep)
    assert len(downloads) == count
    return [(d.suggested_filename, Path(d.path()).read_bytes().decode("utf-8-sig")) for d in downloads]


def test_exports_keep_members_masked(open_page: Any, service: Service) -> None:
    members = service.gql("query($id: ID!) { node(id: $id) { ... on Organisation { members { id name phone } } } }",
                          {"id": COMMUNITY_ORG}, role="admin")["node"]["members"]
    assert members, "the demo community organisation has members"
    real_names = {m["name"] for m in members if m["name"] and len(m["name"]) > 1}
    page = open_page("/explore", role="viewer")
    _open_community(page)
    page.select_option("#depth", "1")
    page.fill("#limit", "200")
    page.click("#expand-selected")
    settle(page)
    member_ids = {m["id"] for m in members}
    on_canvas = set(page.evaluate("window.__explorer.graph.nodes()"))
    assert member_ids & on_canvas, "members are in the view"

    exported = _download(page, "#export-csv", 2) + _download(page, "#export-gexf")
    names = dict(exported)
    assert set(names) == {"alliance-view-nodes.csv", "alliance-view-edges.csv", "alliance-view.gexf"}
    rows = list(csv.DictReader(io.StringIO(names["alliance-view-nodes.csv"])))
    member_rows = [r for r in rows if r["label"] == "Member"]
    assert member_rows
    assert all("*" in r["name"] for r in member_rows), member_rows[:3]
    for filename, text in exported:
        leaked = [n for n in real_names if n in text]
        assert not leaked, f"{filename} holds unmasked member names"
    assert re.search(r'<node id="[^"]+" label="[^"]*\*', names["alliance-view.gexf"])
    png = _png(page)
    assert png.startswith(b"\x89PNG")

    # the member's own panel is masked too
    member = next(iter(member_ids & on_canvas))
    page.evaluate("id => window.__explorer.select(id)", member)
    settle(page)
    panel = page.inner_text("#details")
    for m in members:
        if m["id"] == member and m["phone"]:
            assert m["phone"] not in panel
    assert "*" in panel


def _png(page: Any) -> bytes:
    with page.expect_download() as d:
        page.click("#export-png")
    return Path(d.value.path()).read_bytes()


def test_street_key_sees_only_its_street(open_page: Any, service: Service) -> None:
    outside = service.gql("query($r: ID) { organisations(where: {regionId: $r, kind: {eq: \"COMMUNITY\"}}, first: 1) "
                          "{ nodes { id name region { name } } } }", {"r": OUTSIDE})["organisations"]["nodes"][0]
    page = open_page("/explore", role="street")
    assert "650106001" in page.inner_text("#who")
    page.fill("#search", outside["region"]["name"])
    page.click("#search-form button[type=submit]")
    settle(page)
    ids = page.eval_on_selector_all("#search-results li[data-id]", "els => els.map(e => e.dataset.id)")
    assert outside["id"] not in ids
    assert all(not i.startswith(OUTSIDE) for i in ids)
    # asking for it directly is refused by the API, and nothing of it reaches the canvas
    code = page.evaluate("id => window.__explorer.expand(id).then(() => 'OK', e => e.code)", outside["id"])
    assert code == "NOT_FOUND"
    assert outside["id"] not in page.evaluate("window.__explorer.graph.nodes()")
    # its own community works, and every unit it sees lies inside its street
    _open_community(page)
    page.click("#expand-selected")
    settle(page)
    regions = page.evaluate("window.__explorer.graph.mapNodes((id, a) => a.regionId).filter(Boolean)")
    assert regions and all(r.startswith("650106001") for r in regions), regions


def _three_digits(value: float) -> str:
    """A score as the page rounds it: 3 significant digits, thousands grouped, no trailing zeros."""
    if value == 0:
        return "0"
    rounded = float(f"{value:.3g}")
    decimals = max(0, 2 - math.floor(math.log10(abs(rounded))))
    text = f"{rounded:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def test_chinese_by_default_english_after_the_switch(open_page: Any, service: Service) -> None:
    page = open_page("/explore")
    assert page.get_attribute("html", "lang") == "zh-CN"
    assert page.get_attribute("#search", "placeholder") == "搜索名称（如 福寿一社区）"
    assert page.eval_on_selector_all("#controls legend", "els => els.map(e => e.textContent)") == [
        "展开", "样式", "筛选", "最短路径", "视图"]
    _open_community(page)
    hit = page.inner_text(f"#search-results li[data-id='{COMMUNITY_ORG}']")
    assert hit.endswith("党组织 · 社区"), hit
    assert page.inner_text("#details [data-label]") == "党组织"
    props = dict(page.eval_on_selector_all("#details table.props tr", "els => els.map(e => "
                                           "[e.children[0].textContent, e.children[1].textContent])"))
    assert props["类型"] == "社区" and props["编号"] == COMMUNITY_ORG
    assert page.inner_text("#expand-selected") == "展开邻居"
    assert re.fullmatch(r"\d+ 个节点 · \d+ 条连线", page.inner_text("#counts"))
    page.click("#show-paired")
    settle(page)
    legend = page.eval_on_selector_all("#legend label", "els => els.map(e => e.textContent)")
    assert {"党组织 · 社区", "共建协议", "企业"} <= set(legend), legend
    statuses = page.eval_on_selector_all("#status-filter label", "els => els.map(e => e.textContent)")
    assert statuses and set(statuses) <= {"草拟", "生效", "已到期", "已终止"}, statuses
    assert untranslated(page) == []  # colour by kind: the legend, filters, details and notes

    # the analysed community: scores rounded to 3 significant digits, the analysis' date in Chinese
    analytics = service.gql("query($id: ID!) { node(id: $id) { ... on Organisation { analytics { degree betweenness "
                            "pagerank closeness computedAt } } } }", {"id": COMMUNITY_ORG})["node"]["analytics"]
    assert analytics, "the urumqi district is analysed"
    shown = dict(page.eval_on_selector_all("#unit-analytics tr", "els => els.map(e => "
                                           "[e.children[0].textContent, e.children[1].textContent])"))
    assert shown["中介中心性"] == _three_digits(analytics["betweenness"])
    assert shown["PageRank"] == _three_digits(analytics["pagerank"])
    assert shown["接近中心性"] == _three_digits(analytics["closeness"])
    assert re.match(r"\d{4}年\d{1,2}月\d{1,2}日", shown["分析时间"]), shown
    page.select_option("#colour-by", "community")
    assert page.get_attribute("#colour-note", "data-analysis") == ""  # analysed: no excuse shown
    assert untranslated(page) == []
    shot(page, "explore-zh")

    page.click("#lang-switch")
    assert page.get_attribute("html", "lang") == "en"
    assert page.get_attribute("#search", "placeholder") == "Search names (e.g. 福寿一社区)"
    assert page.inner_text("#details [data-label]") == "Party organisation"
    assert page.inner_text("#expand-selected") == "Expand neighbours"
    assert page.inner_text(f"#search-results li[data-id='{COMMUNITY_ORG}']").endswith("Party organisation · Community")
    assert re.fullmatch(r"\d+ nodes · \d+ edges", page.inner_text("#counts"))
    assert "betweenness" in page.inner_text("#unit-analytics")
    assert untranslated(page) == []
    shot(page, "explore-en")
    assert page.errors == []


def test_styles_and_details_say_not_analysed(open_page: Any, service: Service) -> None:
    """A conghua unit (never analysed): its details, colour by community and size by a centrality say "尚未分析"
    and how to run the analysis; with an analysed urumqi unit beside it, how many units lack scores."""
    org = service.gql('query($r: ID) { organisations(where: {regionId: $r, kind: {eq: "COMMUNITY"}}, first: 1) '
                      '{ nodes { id name analytics { degree } } } }', {"r": CONGHUA})["organisations"]["nodes"][0]
    assert org["analytics"] is None, "the conghua demo must stay unanalysed for this test"
    page = open_page("/explore")
    _drop(page, org["name"], org["id"])
    page.wait_for_selector("#unit-analytics")
    box = page.inner_text("#unit-analytics [data-analysis=none]")
    assert "尚未分析" in box and "alliance analyze" in box
    page.select_option("#colour-by", "community")
    assert page.get_attribute("#colour-note", "data-analysis") == "none"
    assert "尚未分析" in page.inner_text("#colour-note") and "灰色" in page.inner_text("#colour-note")
    page.select_option("#size-by", "pagerank")
    assert page.get_attribute("#size-note", "data-analysis") == "none"
    assert "尚未分析" in page.inner_text("#size-note")
    page.select_option("#size-by", "view-degree")  # needs no analysis
    assert page.get_attribute("#size-note", "data-analysis") == ""
    shot(page, "explore-not-analysed")

    _open_community(page)  # an analysed unit joins the view
    assert page.get_attribute("#colour-note", "data-analysis") == "partial"
    assert re.search(r"视图中有 \d+ 个单位尚未分析（显示为灰色）", page.inner_text("#colour-note"))
    page.click("#lang-switch")
    assert re.search(r"\d+ units? in the view not analysed yet \(shown grey\)", page.inner_text("#colour-note"))
    assert untranslated(page) == []
    assert page.errors == []
