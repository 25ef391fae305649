// The pages' language: Chinese (zh-CN) by default, English after the switch (kept in localStorage).
// Messages live here, each as [zh-CN, en]; the display names of the API's enum values live in enums.json
// (tests/web/test_catalogue.py checks both: every enum value named, every message key used exists).
// Numbers, dates and scores are formatted here too, so both pages write 1,416 家 / 98.3% / 2021年3月5日 alike.
import ENUMS from "./enums.json";

export const LOCALES = ["zh-CN", "en"];
const STORE_KEY = "alliance.lang";
const INTL = { "zh-CN": "zh-CN", en: "en-GB" };

/** The analysis command named wherever analytics are missing. */
const ANALYZE = "alliance analyze";

const MESSAGES = {
  "app.name": ["区域化党建联盟图谱", "Alliance Graph"],
  "nav.explore": ["关系浏览", "Explorer"],
  "nav.dashboard": ["数据看板", "Dashboard"],
  "nav.graphiql": ["GraphQL 查询", "GraphQL (GraphiQL)"],
  "nav.health": ["运行状态", "Health"],
  "title.home": ["区域化党建联盟图谱", "Alliance Graph"],
  "title.graphiql": ["区域化党建联盟图谱 · GraphQL 查询", "Alliance Graph · GraphiQL"],
  "home.intro": ["本服务的页面均由服务自身提供，无需访问互联网。打开页面时需输入 API 密钥。",
    "Every page is served by the service itself; no internet access is needed. The pages ask for an API key."],
  "home.explore": ["按区域浏览联盟、单位、协议与清单之间的关系网络", "Browse the network of alliances, units, agreements and lists by region"],
  "home.dashboard": ["各区域的主要指标、街道对比与分析结果", "Key figures per region, streets compared, analytics"],
  "home.graphiql": ["在 GraphiQL 中编写并运行查询（需 API 密钥）", "Write and run queries in GraphiQL (needs an API key)"],
  "home.health": ["服务与数据存储是否正常（JSON）", "Whether the service and its store are up (JSON)"],
  "key.use": ["使用", "Use"],
  "title.explore": ["区域化党建联盟图谱 · 关系浏览", "Alliance Graph · Explorer"],
  "title.dashboard": ["区域化党建联盟图谱 · 数据看板", "Alliance Graph · Dashboard"],
  "lang.switch": ["English", "中文"],
  "lang.switchTitle": ["Switch to English", "切换到中文"],
  "key.change": ["更换密钥", "Change key"],
  "key.label": ["API 密钥", "API key"],
  "key.open": ["进入", "Open"],
  "key.kept": ["只保存在本标签页（sessionStorage），关闭即清除。", "Kept in this tab only (sessionStorage)."],
  "key.refused": ["API 密钥未被接受", "the API key was refused"],
  "key.retry": ["该密钥未被接受，请换一个。", "That key was not accepted; try another."],
  "who.region": ["区域 {region}", "region {region}"],
  "error": ["出错", "Error"],
  "none": ["无", "none"],
  "yes": ["是", "yes"],
  "no": ["否", "no"],
  "list.sep": ["、", ", "],
  "sentence.sep": ["", " "],
  "loading": ["加载中…", "loading…"],
  "role.partyA": ["甲方", "Party A"],
  "role.partyB": ["乙方", "Party B"],

  // units after a number (量词); English reads the label instead
  "u.units": ["家", ""],
  "u.docs": ["份", ""],
  "u.items": ["项", ""],
  "u.people": ["人", ""],
  "u.wishes": ["个", ""],
  "u.actors": ["个", ""],
  "u.times": ["次", ""],
  "u.matters": ["件", ""],
  "u.days": ["天", "days"],
  "u.m2": ["平方米", "m²"],

  // analytics that were never computed
  "analysis.none": ["尚未分析", "Not analysed yet"],
  "analysis.how": ["这个范围还没有分析过。请在服务器上运行下面的命令，或请分析员刷新分析，完成后重新打开本页：",
    "This scope has not been analysed yet. Run the command below on the server, or ask an analyst to refresh the "
    + "analysis, then reload this page:"],
  "analysis.howShort": ["请在服务器上运行下面的命令，或请分析员刷新分析：",
    "Run this on the server, or ask an analyst to refresh the analysis:"],
  "analysis.what.brokers": ["关键中介单位需要网络分析。", "Top brokers need the network analysis."],
  "analysis.what.community": ["按社群着色需要网络分析，未分析的单位显示为灰色。",
    "Colouring by community needs the network analysis; units without one are grey."],
  "analysis.what.size": ["按中心性调整大小需要网络分析。", "Sizing by centrality needs the network analysis."],
  "analysis.what.unit": ["这个单位的中心性和社群需要网络分析。", "This unit's centrality and community need the network analysis."],
  "analysis.unavailable": ["当前 API 不提供分析结果", "not available from this API"],
  "analysis.partial": [
    (p) => `视图中有 ${p.n} 个单位尚未分析（${p.how}）。`,
    (p) => `${p.n} unit${p.n === 1 ? "" : "s"} in the view not analysed yet (${p.how}).`,
  ],
  "analysis.shownGrey": ["显示为灰色", "shown grey"],
  "analysis.shownSmall": ["按最小显示", "shown smallest"],
  "analysis.computedAt": ["分析时间：{at}", "analysed {at}"],
  "analysis.stale": ["分析之后网络已有变化，结果可能过时", "the network has changed since; the figures may be out of date"],
  "analysis.scopeAll": ["整个网络", "the whole network"],
  "analysis.scopeRegion": ["区域 {id}", "region {id}"],
  "analysis.scopeAlliance": ["联盟 {id}", "alliance {id}"],
  // the "运行分析" action (runAnalysis) and its progress
  "run.start": ["运行分析", "Run analysis"],
  "run.again": ["重新分析", "Analyse again"],
  "run.title": ["在服务器上计算这个范围的中心性、社群和关键中介（后台运行，可继续使用本页）",
    "Compute this scope's centrality, communities and brokers on the server (in the background; keep using the page)"],
  "run.needsRole": ["运行分析需要分析员或管理员角色，当前密钥是{role}。", "Running the analysis needs the analyst or "
    + "admin role; this key is {role}."],
  "run.state.QUEUED": ["排队中", "queued"],
  "run.state.RUNNING": ["分析中", "analysing"],
  "run.step.queued": ["等待其他分析完成", "waiting for another analysis"],
  "run.step.load": ["读取网络", "reading the network"],
  "run.step.degree": ["计算度", "degree"],
  "run.step.betweenness": ["计算中介中心性", "betweenness"],
  "run.step.pagerank": ["计算 PageRank", "PageRank"],
  "run.step.closeness": ["计算接近中心性", "closeness"],
  "run.step.communities": ["划分社群", "communities"],
  "run.step.brokers": ["寻找关键中介", "brokers"],
  "run.step.write": ["写回结果", "writing the results"],
  "run.step.done": ["完成", "done"],
  "run.done": ["分析完成：{units} 个单位", "Analysis done: {units} units"],
  "run.failed": ["分析失败", "The analysis failed"],
  "run.lost": ["本服务进程找不到这次分析（服务重启过，或由另一个工作进程运行）；分析完成后重新打开本页即可看到结果",
    "this service process does not know the run (the service restarted, or another worker runs it); reopen the page "
    + "once it has finished to see the results"],
  "metric.degree": ["度（合作单位数）", "degree (partners)"],
  "metric.betweenness": ["中介中心性", "betweenness"],
  "metric.pagerank": ["PageRank", "PageRank"],
  "metric.closeness": ["接近中心性", "closeness"],
  "metric.community": ["社群", "community"],
  "metric.computedAt": ["分析时间", "analysed at"],
  "metric.scope": ["分析范围", "scope"],
  "metric.stale": ["结果已过时", "out of date"],
  "broker.sizes": [
    (p) => (p.small ? `拆分为 ${p.n} 块：${p.list}` : `拆分为 ${p.n} 块，最大 ${p.largest}`),
    (p) => (p.small ? `splits into ${p.n} pieces: ${p.list}` : `splits into ${p.n} pieces, largest ${p.largest}`),
  ],

  // the explorer
  "explore.search": ["搜索", "Search"],
  "explore.searchPlaceholder": ["搜索名称（如 福寿一社区）", "Search names (e.g. 福寿一社区)"],
  "explore.noMatch": ["没有匹配的结果", "no match"],
  "explore.expand": ["展开", "Expand"],
  "explore.depth": ["层数", "depth"],
  "explore.limit": ["上限", "limit"],
  "explore.truncated": ["上次展开在上限处被截断。", "The last expansion was truncated at the limit."],
  "explore.style": ["样式", "Style"],
  "explore.colourBy": ["颜色", "colour by"],
  "explore.colourKind": ["按类型", "kind"],
  "explore.colourCommunity": ["按社群", "community"],
  "explore.sizeBy": ["大小", "size by"],
  "explore.sizeNone": ["统一大小", "nothing"],
  "explore.sizeViewDegree": ["视图中的连接数", "degree in view"],
  "explore.sizeDegree": ["度（合作单位数）", "degree"],
  "explore.sizeBetweenness": ["中介中心性", "betweenness"],
  "explore.sizePagerank": ["PageRank", "PageRank"],
  "explore.sizeCloseness": ["接近中心性", "closeness"],
  "explore.filters": ["筛选", "Filters"],
  "explore.region": ["区域", "region"],
  "explore.allRegions": ["我可见的全部区域", "all I may see"],
  "explore.communityLegend": ["颜色表示网络分析得出的社群；协议、区域等不参与分析的节点为灰色。",
    "Colours are the communities the network analysis found; agreements, regions and other nodes it does not "
    + "score are grey."],
  "explore.statusFilter": ["协议状态", "agreement status"],
  "explore.path": ["最短路径", "Shortest path"],
  "explore.pickPair": ["点击依次选两个节点（或按住 Shift 点击）", "clicks pick a pair (or shift-click)"],
  "explore.showPath": ["显示路径", "Show path"],
  "explore.clear": ["清除", "Clear"],
  "explore.view": ["视图", "View"],
  "explore.layout": ["重新布局", "Layout"],
  "explore.clearView": ["清空", "Clear"],
  "explore.hint": ["先搜索名称，把结果放到画布上；单击节点查看详情，双击展开邻居。",
    "Search for a name, then click a node to see it here; double-click to expand."],
  "explore.counts": ["{nodes} 个节点 · {edges} 条连线", "{nodes} nodes · {edges} edges"],
  "explore.expanded": [
    (p) => `${p.name}：${p.depth} 层内 ${p.n} 个节点（新增 ${p.added} 个）`,
    (p) => `${p.name}: ${p.n} nodes within ${p.depth} hop${p.depth > 1 ? "s" : ""} (${p.added} new)`,
  ],
  "explore.expandedTruncated": ["{shown}，在上限 {limit} 处截断；请提高上限或继续展开",
    "{shown} — truncated at the limit of {limit}; raise the limit or expand further"],
  "explore.pairedShown": ["已在画布上显示 {n} 个结对单位", "{n} paired units on the canvas"],
  "explore.noPath": ["在您的区域内没有路径", "no path within your region"],
  "explore.layoutFailed": ["服务器布局失败：HTTP {status}", "layout failed: HTTP {status}"],
  "explore.layoutLive": ["实时 ForceAtlas2 布局（后台线程）", "live ForceAtlas2 (web worker)"],
  "explore.layoutServer": ["位置由服务器计算（{algorithm}，{ms} 毫秒）",
    "positions computed on the server ({algorithm}, {ms} ms)"],
  "details.expand": ["展开邻居", "Expand neighbours"],
  "details.analytics": ["网络分析", "Analytics"],
  "details.paired": ["结对单位（{n}）", "Paired units ({n})"],
  "details.showPaired": ["在画布上显示结对单位", "Show paired units on the canvas"],
  "details.agreements": ["共建协议（{n}）", "Agreements ({n})"],
  "details.parties": ["签署方", "Parties"],
  "details.items": ["清单事项（{n}）", "List items ({n})"],
  "details.claims": ["认领（{n}）", "Claims ({n})"],
  "details.region": ["所在区域", "region"],
  "details.parent": ["上级", "parent"],
  "details.organisation": ["所属党组织", "organisation"],
  "details.publisher": ["发布单位", "publisher"],
  "details.ledBy": ["牵头单位", "led by"],
  "field.id": ["编号", "id"],
  "field.name": ["名称", "name"],
  "field.title": ["标题", "title"],
  "field.kind": ["类型", "kind"],
  "field.level": ["级别", "level"],
  "field.industry": ["行业", "industry"],
  "field.ownership": ["所有制", "ownership"],
  "field.status": ["状态", "status"],
  "field.signedOn": ["签订日期", "signed on"],
  "field.validFrom": ["生效日期", "valid from"],
  "field.validTo": ["截止日期", "valid to"],
  "field.list": ["清单", "list"],
  "field.category": ["类别", "category"],
  "field.quantity": ["数量", "quantity"],
  "field.unit": ["计量单位", "unit"],
  "field.claimed": ["已认领", "claimed"],
  "field.remaining": ["剩余", "remaining"],
  "field.publishedOn": ["发布日期", "published on"],
  "field.model": ["模式", "model"],
  "field.phone": ["电话", "phone"],
  "field.idNumber": ["身份证号", "ID number"],
  "field.address": ["住址", "address"],
  "field.joinedOn": ["入党日期", "joined on"],
  "field.inService": ["在职", "in service"],
  "field.heldOn": ["召开日期", "held on"],
  "field.topic": ["议题", "topic"],
  "field.mode": ["五事联办", "mode"],
  "field.due": ["期限", "due"],
  "field.doneOn": ["办结日期", "done on"],
  "field.rating": ["评分", "rating"],
  "field.recipient": ["受助人", "recipient"],
  "field.areaM2": ["面积", "area"],
  "item.qty": ["数量", "qty"],

  // the dashboard
  "dash.region": ["区域", "region"],
  "dash.from": ["从", "from"],
  "dash.to": ["到", "to"],
  "dash.show": ["查看", "Show"],
  "dash.renderTime": ["用时 {ms} 毫秒", "rendered in {ms} ms"],
  "dash.noRegion": ["此密钥看不到任何区域", "no region visible to this key"],
  "dash.unavailable": ["暂不可用", "not available"],
  "dash.unavailableWhy": ["暂不可用：{why}", "not available: {why}"],
  "dash.noField": ["当前 API 没有 {field}", "this API has no {field}"],
  "dash.csvTitle": ["下载本面板的 CSV", "Download this panel as CSV"],
  "dash.kpis": ["关键指标", "Key figures"],
  "dash.streetsPlain": ["各下级区域共建协议数", "Agreements per sub-region"],
  "col.kpiId": ["指标编号", "kpi"],
  "col.kpi": ["指标", "label"],
  "col.value": ["数值", "value"],
  "kpi.units-with-agreements": ["签约驻区单位（乙方，不重复）", "Stationed units that signed (乙方, distinct)"],
  "kpi.agreements": ["已签共建协议", "Agreements signed"],
  "kpi.active-agreements": ["生效中的协议", "Active agreements"],
  "kpi.pairings": ["结对共建协议", "Pairing agreements"],
  "kpi.list-items": ["清单事项（需求、资源、项目）", "List items (needs, resources, projects)"],
  "kpi.items-claimed": ["已全部认领的清单事项", "List items fully claimed"],
  "kpi.share-claimed": ["清单事项认领完成率", "Share of list items fully claimed"],
  "kpi.items-unclaimed": ["仍可认领的清单事项", "List items still open to claim"],
  "kpi.committee-members": ["兼职委员", "Part-time committee members"],
  "kpi.wish": ["微心愿", "Micro-wishes"],
  "kpi.wish-published": ["已发布的微心愿", "Wishes published"],
  "kpi.wish-dispatched": ["已派单的微心愿", "Wishes dispatched"],
  "kpi.wish-accepted": ["已接单的微心愿", "Wishes accepted"],
  "kpi.wish-fulfilled": ["已实现的微心愿", "Wishes fulfilled"],
  "kpi.wish-rated": ["已评价的微心愿", "Wishes rated"],
  "kpi.wish-cancelled": ["已取消的微心愿", "Wishes cancelled"],
  "kpi.wish-contributors": ["参与者（党员、单位、企业）", "Wish contributors (members, units, enterprises)"],
  "kpi.wish-warehouseFulfilled": ["由如愿义仓供给的微心愿", "Wishes supplied by a wish warehouse"],
  "kpi.wish-medianDaysToFulfil": ["从发布到实现的天数（中位数）", "Median days from publication to fulfilment"],
  "kpi.meeting": ["会议与议定事项", "Meetings and matters"],
  "kpi.meeting-meetings": ["召开联席会议", "Joint meetings held"],
  "kpi.meeting-matters": ["议定事项（五事联办）", "Matters decided"],
  "kpi.meeting-importantMatters": ["要事共决", "Matters decided together (important)"],
  "kpi.meeting-mattersDone": ["已办结事项", "Matters done"],
  "kpi.meeting-overdue": ["截至今天逾期的事项", "Matters overdue today"],
  "kpi.meeting-completionRate": ["事项办结率", "Share of matters done"],
  "kpi.other": ["{title}：{field}", "{title}: {field}"],
  "kpi.unavailableNote": ["{title}：暂不可用（{code}）", "{title}: not available ({code})"],
  // what each key figure counts, on hover (dashboard.js definition())
  "kpidef.units-with-agreements": ["以乙方身份签订共建协议的驻区单位数，同一单位只计一次；以甲方身份签约的街道、社区党组织不计入。按签订日期筛选。",
    "Stationed units that signed a co-building agreement as 乙方 (the second party), each counted once; the street and community party organisations signing as 甲方 are not counted. Filtered by signing date."],
  "kpidef.agreements": ["至少一方在本区域的共建协议份数，按签订日期筛选。",
    "Co-building agreements with at least one party in this region, filtered by signing date."],
  "kpidef.active-agreements": ["其中状态为“生效中”的协议份数。", "Of those, the agreements in force (ACTIVE)."],
  "kpidef.pairings": ["其中“一帮一”结对共建协议的份数。", "Of those, the one-to-one pairing agreements (结对共建)."],
  "kpidef.list-items": ["本区域单位发布的需求、资源、项目清单事项数（三张清单）。",
    "Needs, resources and projects that units in this region published (三张清单)."],
  "kpidef.items-claimed": ["认领数量已达到事项数量的清单事项。", "List items whose claimed quantity has reached their quantity."],
  "kpidef.share-claimed": ["已全部认领的清单事项占全部清单事项的比例。", "List items fully claimed, as a share of all list items."],
  "kpidef.items-unclaimed": ["仍有数量可供认领的清单事项。", "List items with some quantity still open to claim."],
  "kpidef.committee-members": ["在本区域联盟中担任兼职委员的党员，同一人只计一次。",
    "Party members serving as part-time committee members (兼职委员) of an alliance in this region, each counted once."],
  "kpidef.wish-published": ["本区域居民发布的微心愿，按发布日期筛选。", "Micro-wishes residents of this region published, filtered by publication date."],
  "kpidef.wish-dispatched": ["已派单给党组织的微心愿（含之后各阶段）。", "Wishes dispatched to a party organisation (later stages included)."],
  "kpidef.wish-accepted": ["已被党员、单位或企业接单认领的微心愿（含之后各阶段）。",
    "Wishes a member, unit or enterprise accepted (claimed), later stages included."],
  "kpidef.wish-fulfilled": ["已实现的微心愿（含已评价）。", "Wishes fulfilled (rated ones included)."],
  "kpidef.wish-rated": ["居民已评价的微心愿。", "Wishes the resident has rated."],
  "kpidef.wish-cancelled": ["实现前被取消的微心愿。", "Wishes cancelled before they were fulfilled."],
  "kpidef.wish-contributors": ["为微心愿出力的党员、单位和企业，同一参与者只计一次。",
    "Members, units and enterprises that contributed to a wish, each counted once."],
  "kpidef.wish-warehouseFulfilled": ["由如愿义仓企业供给物资而实现的微心愿。", "Fulfilled wishes whose goods a wish warehouse (如愿义仓) supplied."],
  "kpidef.wish-medianDaysToFulfil": ["从发布到实现所用天数的中位数。", "The median number of days from publication to fulfilment."],
  "kpidef.meeting-meetings": ["覆盖本区域的联盟召开的联席会议次数，按会议日期筛选。",
    "Joint meetings held by the alliances covering this region, filtered by meeting date."],
  "kpidef.meeting-matters": ["这些会议议定的事项（五事联办）。", "Matters decided at those meetings (五事联办)."],
  "kpidef.meeting-importantMatters": ["其中以“要事共决”方式议定的事项。", "Of those, the matters decided as 要事共决 (important matters)."],
  "kpidef.meeting-mattersDone": ["其中已办结的事项。", "Of those, the matters done."],
  "kpidef.meeting-overdue": ["截至今天仍未办结且已过期限的事项。", "Matters not done and past their deadline as of today."],
  "kpidef.meeting-completionRate": ["已办结事项占议定事项的比例。", "Matters done as a share of matters decided."],
  "dash.meetings": ["各联盟的会议与事项", "Meetings and matters per alliance"],
  "dash.noPerAlliance": ["当前 API 没有 meetingStats.perAlliance", "this API has no meetingStats.perAlliance"],
  "col.allianceId": ["联盟编号", "allianceId"],
  "col.alliance": ["联盟", "alliance"],
  "col.meetings": ["会议", "meetings"],
  "col.matters": ["事项", "matters"],
  "col.done": ["已办结", "done"],
  "col.overdue": ["逾期", "overdue"],
  "col.lastHeld": ["最近召开", "last held"],
  "dash.noMeetings": ["本期间没有会议或事项", "no meetings or matters in this period"],
  "dash.showingAlliances": ["显示 {shown} / {total} 个联盟；CSV 含全部", "showing {shown} of {total} alliances; the CSV has all"],
  "dash.streets": [(p) => `各${p.level}共建协议数`, (p) => `Agreements per ${p.level.toLowerCase()}`],
  "dash.subRegion": ["下级区域", "sub-region"],
  "dash.noSubRegions": ["没有下级区域", "no sub-regions"],
  "col.regionId": ["区域编号", "regionId"],
  "col.region": ["区域", "region"],
  "col.agreements": ["协议数", "agreements"],
  "dash.brokers": ["关键中介单位", "Top brokers"],
  "dash.brokersExplain": ["这些单位一旦退出，它们所在的合作网络就会断开成几块。",
    "Units whose departure splits their part of the network into pieces."],
  "dash.noBrokers": ["分析完成：该区域的合作网络中没有这样的中介单位。",
    "Analysed: no unit of this region splits the network when it leaves."],
  "col.rank": ["排名", "rank"],
  "col.unitId": ["单位编号", "unitId"],
  "col.unit": ["单位", "unit"],
  "col.pieces": ["拆分块数", "pieces"],
  "col.splitSizes": ["各块单位数", "splitSizes"],
  "col.type": ["类型", "type"],
  "col.split": ["退出后", "without it"],
  "col.cutOff": ["与主体断开的单位", "units cut off"],
  "dash.gaps": ["覆盖缺口", "Coverage gaps"],
  "gap.unpaired": ["没有生效协议的社区和村（{n} 个）", "Communities and villages without an active agreement ({n})"],
  "gap.aging": ["超过 {days} 天仍未认领完的清单事项（{n} 项）",
    "List items still open to claim after {days} days ({n})"],
  "gap.idle": ["签了协议却未发布清单、也未认领的单位（{n} 家）",
    "Units with an agreement that publish nothing and claim nothing ({n})"],
  "gap.kind.unpaired": ["未结对的社区或村", "community without an active agreement"],
  "gap.kind.aging": ["长期未认领的事项", "item open too long"],
  "gap.kind.idle": ["不活跃的签约单位", "idle unit"],
  "gap.more": ["另有 {n} 个，见 CSV", "{n} more in the CSV"],
  "gap.none.unpaired": ["没有：每个社区和村都有生效的协议。", "None: every community and village has an active agreement."],
  "gap.none.aging": ["没有：清单事项都在期限内认领完了。", "None: every item was claimed in time."],
  "gap.none.idle": ["没有：每个签约单位都发布了清单或认领了事项。", "None: every signatory publishes or claims."],
  "gap.daysOpen": ["已 {days} 天", "{days} days"],
  "col.gap": ["缺口", "gap"],
  "col.name": ["名称", "name"],
  "col.detail": ["说明", "detail"],
  "col.item": ["事项", "item"],
  "col.list": ["清单", "list"],
  "col.publisher": ["发布单位", "publisher"],
  "col.published": ["发布日期", "published"],
  "col.remaining": ["剩余", "remaining"],
  "col.open": ["未认领时长", "open for"],
  "dash.aging": ["未认领事项的时长分布", "Unclaimed items by age"],
  "age.0": ["0–30 天", "0–30 days"],
  "age.1": ["31–90 天", "31–90 days"],
  "age.2": ["91–180 天", "91–180 days"],
  "age.3": ["181–365 天", "181–365 days"],
  "age.4": ["一年以上", "over a year"],
  "age.undated": ["没有发布日期", "no publication date"],
  "age.total": ["未认领合计", "total unclaimed"],
  "col.age": ["时长", "age"],
  "col.items": ["事项数", "items"],
  "dash.oldest": ["最早发布仍未认领的事项", "Oldest unclaimed"],
  "col.id": ["编号", "id"],
  "col.title": ["标题", "title"],
};

let current = initialLocale();
const listeners = [];

function initialLocale() {
  const asked = new URLSearchParams(location.search).get("lang");
  if (LOCALES.includes(asked)) {
    try {
      localStorage.setItem(STORE_KEY, asked);
    } catch {
      // storage may be disabled; the URL still decides for this page
    }
    return asked;
  }
  let stored = null;
  try {
    stored = localStorage.getItem(STORE_KEY);
  } catch {
    stored = null;
  }
  return LOCALES.includes(stored) ? stored : "zh-CN";
}

export function locale() {
  return current;
}

const index = () => (current === "en" ? 1 : 0);

/** The message `key` in the current language, with {name} placeholders filled from params. */
export function t(key, params = {}) {
  const entry = MESSAGES[key];
  if (!entry) return key;
  const message = entry[index()];
  if (typeof message === "function") return message(params);
  return message.replace(/\{(\w+)\}/g, (_, name) => (name in params ? String(params[name]) : `{${name}}`));
}

/** The display name of an API enum value (Label, OrgKind, AgreementStatus, …, as in enums.json); the value itself
 * when the catalogue does not know it (a newer API). Values may come as the enum's value or its GraphQL name. */
export function enumName(enumClass, value) {
  if (value === null || value === undefined || value === "") return "";
  const table = ENUMS[enumClass];
  if (!table) return String(value);
  const entry = table[value] || Object.values(table).find((e) => e.name === value);
  return entry ? entry[current] : String(value);
}

/** A node label (Organisation, ListItem, …) for people. */
export function labelName(label) {
  return enumName("Label", label);
}

/** Free-text party roles the demo and the templates use (甲方 / 乙方), in the current language. */
export function roleName(role) {
  if (role === "甲方") return t("role.partyA");
  if (role === "乙方") return t("role.partyB");
  return role ?? "";
}

// ---- formatting ---------------------------------------------------------------------------

const cache = new Map();
function formatter(kind, options) {
  const key = `${current}|${kind}|${JSON.stringify(options)}`;
  if (!cache.has(key)) {
    cache.set(key, kind === "date" ? new Intl.DateTimeFormat(INTL[current], options)
      : new Intl.NumberFormat(INTL[current], options));
  }
  return cache.get(key);
}

/** 1,416 · 12.5 (at most `digits` decimals); a dash for nothing. */
export function num(value, digits = 1) {
  if (value === null || value === undefined || value === "" || Number.isNaN(Number(value))) return "—";
  return formatter("num", { maximumFractionDigits: digits }).format(Number(value));
}

/** A count with its unit: 1,416 家 in Chinese, 1,416 in English (unitKey from the u.* messages). */
export function qty(value, unitKey) {
  const n = num(value);
  if (n === "—" || !unitKey) return n;
  const unit = t(`u.${unitKey}`);
  return unit ? `${n} ${unit}` : n;
}

/** A fraction 0..1 as 98.3%. */
export function pct(fraction) {
  if (fraction === null || fraction === undefined || Number.isNaN(Number(fraction))) return "—";
  return formatter("num", { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 })
    .format(Number(fraction));
}

/** A score rounded to 3 significant digits (0.000265, 12.3, 1,420). */
export function score(value) {
  if (value === null || value === undefined || Number.isNaN(Number(value))) return "—";
  return formatter("num", { maximumSignificantDigits: 3 }).format(Number(value));
}

/** An ISO date (2021-03-05) as 2021年3月5日 / 5 Mar 2021; a date-time also gets its local time. */
export function date(iso) {
  if (!iso) return "—";
  const text = String(iso);
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (day) {
    const at = new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3])));
    return formatter("date", { year: "numeric", month: current === "en" ? "short" : "long", day: "numeric",
      timeZone: "UTC" }).format(at);
  }
  const at = new Date(text);
  if (Number.isNaN(at.getTime())) return text;
  return formatter("date", { year: "numeric", month: current === "en" ? "short" : "long", day: "numeric",
    hour: "2-digit", minute: "2-digit" }).format(at);
}

/** A broker's split sizes (largest first) in a phrase: 拆分为 41 块，最大 1,203. */
export function sizes(list) {
  const values = [...(list || [])].sort((a, b) => b - a);
  if (!values.length) return "—";
  const small = values.length <= 3;
  return t("broker.sizes", { n: num(values.length), largest: num(values[0]), small,
    list: values.map((v) => num(v)).join(t("list.sep")) });
}

export function yesNo(value) {
  if (value === null || value === undefined) return "—";
  return value ? t("yes") : t("no");
}

/** What an analysis covered: '' the whole graph, 'region:<id>', 'alliance:<id>'. */
export function analysisScope(scope) {
  if (!scope) return t("analysis.scopeAll");
  const [kind, id] = scope.split(":");
  if (kind === "region") return t("analysis.scopeRegion", { id });
  if (kind === "alliance") return t("analysis.scopeAlliance", { id });
  return scope;
}

/** The command that computes the analytics, narrowed to a region when one is given. */
export function analyzeCommand(region) {
  return region ? `${ANALYZE} --region ${region}` : ANALYZE;
}

// ---- the page's static text and the switch --------------------------------------------------

/** Fills every element marked data-i18n (text; the <title> too), data-i18n-placeholder and data-i18n-title. */
export function applyStatic(root = document) {
  document.documentElement.lang = current;
  document.body.dataset.lang = current;
  const button = document.getElementById("lang-switch");
  if (button) button.lang = current === "en" ? "zh-CN" : "en"; // the switch names the other language in itself
  for (const node of root.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of root.querySelectorAll("[data-i18n-placeholder]")) {
    node.setAttribute("placeholder", t(node.dataset.i18nPlaceholder));
  }
  for (const node of root.querySelectorAll("[data-i18n-title]")) node.setAttribute("title", t(node.dataset.i18nTitle));
}

export function setLocale(next) {
  if (!LOCALES.includes(next) || next === current) return;
  current = next;
  try {
    localStorage.setItem(STORE_KEY, next);
  } catch {
    // not persisted; this page still switches
  }
  const url = new URL(location.href);
  if (url.searchParams.has("lang")) {
    url.searchParams.delete("lang");
    history.replaceState(null, "", url);
  }
  applyStatic();
  for (const fn of listeners) fn(current);
}

/** fn(locale) after every switch, to redraw what the page rendered from data. */
export function onLocaleChange(fn) {
  listeners.push(fn);
}

/** Applies the language to the static text and wires the header's switch button. */
export function startI18n() {
  applyStatic();
  const button = document.getElementById("lang-switch");
  if (button) button.addEventListener("click", () => setLocale(current === "en" ? "zh-CN" : "en"));
}
