"""Realistic Chinese names for demo data: people, places, units, and what they offer and need.

Pools are plain tuples so generation stays deterministic for a given random.Random; nothing here
is looked up or downloaded. Place names that the seed articles mention are used where they fit.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Callable, Sequence
from itertools import accumulate

# Common surnames, most frequent first; the weights follow the national ranking roughly.
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶"
    "程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛"
    "郝顾龚邵万覃武钱戴严欧莫孔向常汤康易乔赖文"
)
_SURNAME_CUM = list(accumulate(max(1.0, 60.0 / (i + 1)) for i in range(len(_SURNAMES))))

_GIVEN_MALE = "伟强军磊洋勇杰涛明超刚平辉鹏华飞斌宇浩凯健俊帆帅旭宁龙林波斌彬志国建新文亮晨阳博诚峰"
_GIVEN_FEMALE = "芳娜敏静丽艳娟霞燕玲婷红梅琳颖雪慧莉倩洁晶佳琪欣怡璐瑶蕾萍红云凤丹秀兰英月"
_GIVEN_SECOND = "子嘉思雨梓一晓永金海春秋德玉宏志建立文明家美"

# Xinjiang: Uyghur and Kazakh names in their usual Chinese transcription (given·father's name).
_MINORITY_MALE = (
    "艾力",
    "买买提",
    "阿不都",
    "吐尔逊",
    "艾尼瓦尔",
    "热合曼",
    "依明",
    "努尔兰",
    "阿力木",
    "叶尔兰",
)
_MINORITY_FEMALE = (
    "古丽",
    "阿依古丽",
    "热依拉",
    "迪丽努尔",
    "帕提古丽",
    "阿依努尔",
    "米日古丽",
    "古再丽",
)

_MOBILE_PREFIXES = (
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "166",
    "173",
    "176",
    "177",
    "180",
    "181",
    "182",
    "183",
    "185",
    "186",
    "187",
    "188",
    "189",
    "191",
    "198",
    "199",
)


def _pick(r: Callable[[], float], pool: Sequence[str]) -> str:
    # random() arithmetic is several times cheaper than rng.choice, and people are the bulk
    return pool[int(r() * len(pool))]


def person_name(rng: random.Random, female: bool, minority_share: float = 0.0) -> str:
    r = rng.random
    if minority_share and r() < minority_share:
        given = _MINORITY_FEMALE if female else _MINORITY_MALE
        return f"{_pick(r, given)}·{_pick(r, _MINORITY_MALE)}"
    surname = _SURNAMES[bisect(_SURNAME_CUM, r() * _SURNAME_CUM[-1])]
    pool = _GIVEN_FEMALE if female else _GIVEN_MALE
    if r() < 0.3:
        return surname + _pick(r, pool)
    return surname + _pick(r, _GIVEN_SECOND + pool) + _pick(r, pool)


def mobile(rng: random.Random) -> str:
    return _pick(rng.random, _MOBILE_PREFIXES) + f"{int(rng.random() * 100_000_000):08d}"


# --- places -----------------------------------------------------------------------------------

_COMMUNITY_WORDS = (
    "和平",
    "友谊",
    "幸福",
    "阳光",
    "丽景",
    "金桥",
    "银河",
    "锦绣",
    "华苑",
    "翠湖",
    "云景",
    "安居",
    "新城",
    "康乐",
    "福寿",
    "怡景",
    "盛世",
    "龙泉",
    "凤凰",
    "春晖",
    "文华",
    "嘉园",
    "华庭",
    "紫荆",
    "兰亭",
    "泰和",
    "永安",
    "瑞丰",
    "明珠",
    "天宝",
    "馨园",
    "绿洲",
    "长青",
    "东湖",
    "西岭",
    "南苑",
    "北辰",
    "新华",
    "建设",
    "团结",
    "光明",
    "胜利",
    "振兴",
    "红星",
    "育才",
    "丰收",
    "朝阳",
    "晨光",
    "景泰",
    "锦华",
    "宝华",
    "花园",
    "桃源",
    "金沙",
    "碧水",
    "青山",
    "玉兰",
    "海棠",
    "石榴",
    "葡萄",
    "天山",
    "昆仑",
    "雪莲",
    "丝路",
    "亚欧",
    "嵩山",
    "银川",
    "长江",
    "黄河",
    "珠江",
    "岭南",
    "云山",
)
_COMMUNITY_SIDES = ("", "", "", "", "东", "西", "南", "北", "一", "二")
_VILLAGE_HEADS = "东西南北上下新大小石沙黄白红高塘岗坑田洞岭水竹松莲凤龙马鹤米"
_VILLAGE_TAILS = (
    "岗",
    "田",
    "边",
    "塘",
    "坑",
    "洞",
    "头",
    "湾",
    "围",
    "埔",
    "岭",
    "冲",
    "陂",
    "埗",
    "朗",
    "庄",
    "寨",
    "屯",
)
_ROAD_TAILS = ("路", "街", "大道", "巷")
_COMPOUND_TAILS = ("花园", "小区", "家园", "名苑", "雅居", "公寓", "华府", "新村")
_BUILDING_TAILS = ("大厦", "商务中心", "广场", "写字楼")


def unique_names(
    rng: random.Random, count: int, make: Callable[[random.Random, int], str], taken: set[str]
) -> list[str]:
    """`count` names from `make(rng, i)` not yet in `taken`; numbered once a pool runs dry."""
    out: list[str] = []
    attempts = 0
    while len(out) < count:
        name = make(rng, attempts)
        attempts += 1
        if attempts > 40 * (count + 10):
            name = _numbered(name, len(out) + 1)
        if name not in taken:
            taken.add(name)
            out.append(name)
    return out


def _numbered(name: str, n: int) -> str:
    for tail in ("经济社", "社区", "村"):
        if name.endswith(tail):
            return f"{name[: -len(tail)]}{n}{tail}"
    return f"{name}{n}"


def short_place(name: str) -> str:
    """ "乌鲁木齐经济技术开发区（头屯河区）" -> "头屯河区", "中亚南路街道" -> "中亚南路"."""
    if "（副本" in name:  # a replica's district keeps its real short name
        name = name[: name.index("（副本")]
    if "（" in name:
        name = name[name.index("（") + 1 : name.rindex("）")]
    for tail in ("街道", "镇"):
        if name.endswith(tail) and len(name) > len(tail) + 1:
            return name[: -len(tail)]
    return name


def community_name(rng: random.Random, _: int) -> str:
    return rng.choice(_COMMUNITY_WORDS) + rng.choice(_COMMUNITY_SIDES) + "社区"


def village_name(rng: random.Random, _: int) -> str:
    return rng.choice(_VILLAGE_HEADS) + rng.choice(_VILLAGE_TAILS) + "村"


def road_name(rng: random.Random, _: int = 0) -> str:
    return rng.choice(_COMMUNITY_WORDS) + rng.choice(_ROAD_TAILS)


def compound_name(rng: random.Random, _: int = 0) -> str:
    return rng.choice(_COMMUNITY_WORDS) + rng.choice(_COMPOUND_TAILS)


def building_name(rng: random.Random, _: int = 0) -> str:
    return rng.choice(_COMMUNITY_WORDS) + rng.choice(_BUILDING_TAILS)


def address(rng: random.Random, place: str) -> str:
    """A home address in `place` (district + street), down to the flat."""
    r = rng.random
    road = _pick(r, _COMMUNITY_WORDS) + _pick(r, _ROAD_TAILS)
    return (
        f"{place}{road}{1 + int(r() * 399)}号{1 + int(r() * 30)}栋"
        f"{1 + int(r() * 4)}单元{1 + int(r() * 33)}{1 + int(r() * 6):02d}室"
    )


# --- units ------------------------------------------------------------------------------------

# District-level agencies (区直机关) whose party organisations join alliances and pair up.
AGENCIES = (
    "税务局",
    "市场监督管理局",
    "人力资源和社会保障局",
    "民政局",
    "卫生健康局",
    "教育局",
    "住房和城乡建设局",
    "城市管理和综合执法局",
    "公安分局",
    "司法局",
    "应急管理局",
    "交通运输局",
    "财政局",
    "发展和改革局",
    "科技工业和信息化局",
    "生态环境分局",
    "文化广电旅游体育局",
    "退役军人事务局",
    "医疗保障局",
    "统计局",
    "审计局",
    "规划和自然资源分局",
    "水务局",
    "农业农村局",
    "商务局",
    "总工会",
    "团委",
    "妇联",
    "残联",
    "人民法院",
    "人民检察院",
    "政务服务数据管理局",
    "林业和园林局",
    "消防救援大队",
    "机关事务管理局",
    "档案馆",
)
# Street-level stations of district agencies (派驻机构).
STATIONS = (
    "派出所",
    "司法所",
    "市场监管所",
    "税务所",
    "供电所",
    "交警中队",
    "消防救援站",
    "邮政支局",
    "社区卫生服务中心",
    "综合文化站",
    "劳动保障所",
    "城管中队",
)
SCHOOL_KINDS = ("小学", "中学", "幼儿园", "实验学校", "职业技术学校")
HOSPITAL_KINDS = ("人民医院", "中医医院", "妇幼保健院", "社区卫生服务中心", "卫生院")
SOCIAL_ORGS = (
    "社会工作服务中心",
    "志愿者协会",
    "商会",
    "个体劳动者协会",
    "老年协会",
    "慈善会",
    "青年创业协会",
    "物业管理协会",
    "家庭综合服务中心",
    "义工联合会",
)
_BRANDS = (
    "华森",
    "易航",
    "圆心",
    "天润",
    "金风",
    "恒通",
    "鸿运",
    "嘉禾",
    "宏达",
    "瑞丰",
    "德信",
    "中泰",
    "新天",
    "广汇",
    "天山",
    "丝路",
    "亚欧",
    "白云",
    "花城",
    "粤港",
    "岭南",
    "珠江",
    "南方",
    "佛山",
    "美的",
    "顺丰",
    "创维",
    "汇丰",
    "永兴",
    "万兴",
    "泰和",
    "福安",
    "盈峰",
    "利德",
    "信达",
    "远航",
    "海纳",
    "卓越",
    "锦程",
    "华美",
    "佳能",
    "优品",
    "康泰",
    "安达",
    "众诚",
    "百川",
    "同心",
    "合众",
    "立信",
    "中恒",
    "鑫源",
    "东方",
    "长城",
    "红谷",
    "星河",
    "晨曦",
    "明德",
    "启航",
    "宏图",
    "凯旋",
)
_COMPANY_SUFFIXES = ("有限公司", "有限公司", "有限公司", "股份有限公司", "有限责任公司")

# industry (the Enterprise.industry value) -> how the industry reads inside a company name
INDUSTRY_NAME_PARTS = {
    "物业服务": ("物业服务", "物业管理"),
    "物流": ("物流", "供应链管理", "国际货运代理"),
    "建材": ("建材", "新型建材"),
    "食品": ("食品", "食品加工"),
    "电子商务": ("电子商务", "网络科技"),
    "机械制造": ("机械制造", "重工机械"),
    "新能源": ("新能源科技", "光伏科技"),
    "生物医药": ("生物科技", "药业"),
    "化妆品": ("化妆品", "日化"),
    "轨道交通": ("轨道交通装备", "轨道交通科技"),
    "信息技术": ("信息技术", "软件", "数据科技"),
    "餐饮": ("餐饮管理", "饮食"),
    "商贸": ("商贸", "贸易"),
    "建筑工程": ("建筑工程", "建设工程"),
    "汽车": ("汽车销售服务", "汽车零部件"),
    "家具": ("家具制造", "家居"),
    "陶瓷": ("陶瓷", "建筑陶瓷"),
    "家电": ("电器", "智能家电"),
    "皮革皮具": ("皮具", "皮革制品"),
    "纺织服装": ("服饰", "纺织"),
    "农业": ("农业发展", "生态农业", "农产品"),
    "旅游": ("旅游发展", "文化旅游"),
    "酒店": ("酒店管理", "温泉酒店"),
    "零售": ("超市连锁", "百货"),
    "金融": ("融资担保", "小额贷款"),
    "设计": ("设计咨询", "创意设计"),
}


def brand(rng: random.Random) -> str:
    """A two-character trade name (字号)."""
    return rng.choice(_BRANDS)


def company_name(rng: random.Random, place: str, industry: str) -> str:
    part = rng.choice(INDUSTRY_NAME_PARTS[industry])
    return f"{place}{rng.choice(_BRANDS)}{part}{rng.choice(_COMPANY_SUFFIXES)}"


def org_suffix(level: str) -> str:
    """How a party organisation's name ends for its level."""
    return {
        "COMMITTEE": "党委",
        "GENERAL_BRANCH": "党总支",
        "BRANCH": "党支部",
        "GROUP": "党小组",
        "WORKING_COMMITTEE": "党工委",
    }[level]


# --- lists, wishes, meetings, matters ---------------------------------------------------------

# (list, category, unit, (titles...))
Template = tuple[str, str, str, tuple[str, ...]]
LIST_TEMPLATES: tuple[Template, ...] = (
    ("NEED", "志愿服务", "人次", ("社区疫情防控志愿者招募", "垃圾分类督导志愿者", "老旧小区义务巡逻")),
    ("NEED", "资金", "万元", ("老旧小区改造配套资金", "困难群众帮扶资金", "社区文化活动经费")),
    ("NEED", "场地", "场次", ("居民议事会场地", "青少年暑期课堂场地", "党员教育培训场地")),
    ("NEED", "就业岗位", "个", ("辖区失业人员就业岗位", "高校毕业生见习岗位", "残疾人就业岗位")),
    ("NEED", "物资", "件", ("困难家庭冬季棉被", "防疫物资", "社区图书室图书")),
    ("NEED", "专业服务", "次", ("法律咨询服务", "义诊服务", "心理疏导服务", "消防安全培训")),
    ("RESOURCE", "停车位", "个", ("错时共享停车位", "夜间开放停车位", "周末共享停车位")),
    ("RESOURCE", "场地", "场次", ("会议室开放共享", "职工食堂助餐点", "文体活动室共享", "篮球场共享")),
    ("RESOURCE", "人才", "人", ("专业技术人才下沉", "律师志愿服务团队", "医护志愿者")),
    ("RESOURCE", "设备", "台", ("应急抢修设备", "便民服务车", "电脑及办公设备")),
    ("RESOURCE", "资金", "万元", ("党建共建经费", "助学帮扶资金", "慈善捐赠")),
    ("RESOURCE", "专业服务", "次", ("政策宣讲", "税务辅导", "家电义务维修", "健康体检")),
    ("PROJECT", "环境整治", "项", ("背街小巷环境整治", "小区绿化提升", "城中村消防通道整治")),
    ("PROJECT", "居家养老", "项", ("长者饭堂共建", "互联网+智慧养老上门服务", "老年人助浴服务")),
    ("PROJECT", "助学", "项", ("四点半课堂", "困难学生助学", "暑期托管班")),
    ("PROJECT", "文体活动", "项", ("邻里节", "社区运动会", "村晚文艺汇演", "红色观影")),
    ("PROJECT", "党建示范", "项", ("党建示范点共建", "红色物业示范小区", "党群服务站升级")),
)

WISH_TEMPLATES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("家居维修", ("房间渗水修补", "简易厕所改造", "更换老旧电线", "修补漏雨屋顶", "安装扶手")),
    ("生活用品", ("冬季棉被一床", "电饭煲一个", "电风扇一台", "米面粮油", "冰箱一台")),
    ("助学", ("书包和文具", "课外读物一套", "学习台灯", "助学金", "校服两套")),
    ("助残", ("轮椅一台", "助听器一副", "助行器", "盲人收音机")),
    ("医疗健康", ("上门体检", "血压计一个", "康复理疗", "药品代购")),
    ("精神关爱", ("陪伴聊天", "上门理发", "生日蛋糕", "春节团圆饭")),
)

MEETING_TOPICS = (
    "季度联席会议",
    "城中村治理专题会",
    "民生实事推进会",
    "重点项目协调会",
    "共建项目签约会",
    "疫情防控联防联控会",
    "停车难问题协商会",
    "物业矛盾纠纷调处会",
    "垃圾分类推进会",
    "人居环境整治现场会",
    "消防安全隐患排查会",
    "三张清单对接会",
    "兼职委员述职会",
    "年度工作部署会",
)

MATTER_TITLES = (
    "背街小巷路面修复",
    "小区加装电梯协调",
    "城中村消防通道清理",
    "农贸市场周边交通疏导",
    "错时共享停车位协调",
    "老旧小区雨污分流",
    "长者饭堂选址",
    "垃圾分类收集点改造",
    "社区党群服务站升级",
    "出租屋安全隐患整治",
    "校园周边环境整治",
    "河涌保洁",
    "物业费纠纷调处",
    "菜市场升级改造",
    "社区卫生服务站设置",
    "村道路灯安装",
    "公共厕所改造",
    "违建拆除协调",
    "便民服务点设置",
    "积水点改造",
)
