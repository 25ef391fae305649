"""One declarative spec per demo profile: territory, the seed figures, and tuning numbers.

Every figure is a count over the generated graph (or the sum named below); at `--scale N` the
profile is replicated N times and every figure is multiplied by N. "street/town" means a Region
whose level is STREET or TOWN.

urumqi-etdz (乌鲁木齐经开区/头屯河区, seed 004 part 3)
  streets                    Region level=STREET
  communities                Region level=COMMUNITY
  villages                   Region level=VILLAGE
  signatory_units            distinct start nodes of PARTY_TO with role='乙方': the stationed
                             units (驻区单位) that signed; 甲方 is always a street/community party org
  part_time_members          distinct Members with SERVES_ON (兼职委员; every SERVES_ON is one)
  property_company_orgs      Organisations EMBEDDED_IN an Enterprise whose industry='物业服务'
  list_items                 ListItem nodes
  parking_spaces             sum of `quantity` over ListItems list='RESOURCE', category='停车位'
  street_working_committees  Alliance kind=STREET_WORKING_COMMITTEE
  big_party_committees       Alliance kind=COMMUNITY_BIG_COMMITTEE
  service_centres            ServiceCentre nodes

baiyun (广州白云区, seed 004 part 1)
  streets, urban_villages    Region level=STREET / level=VILLAGE
  street_working_committees, big_party_committees, economic_coop_branches
                             Alliance kind=STREET_WORKING_COMMITTEE / COMMUNITY_BIG_COMMITTEE /
                             ECONOMIC_COOP_BRANCH
  think_tanks                Team kind=THINK_TANK
  think_tank_members         distinct Members with SERVES_IN to a THINK_TANK team
  lists                      distinct start nodes of PUBLISHED (one publisher = one 三张清单 list)
  list_items                 ListItem nodes
  meetings                   Meeting nodes
  important_matters          Matter mode='要事共决'
  matters_done               Matter status='DONE'

huadu (广州花都区, seed 001)
  towns_streets              Region level in (STREET, TOWN)
  villages_communities       Region level in (VILLAGE, COMMUNITY)
  grids, urban_grids, rural_grids
                             Region level=GRID; of those zone='URBAN' / zone='RURAL'
  street_working_committees, big_party_committees   as for urumqi-etdz
  village_community_orgs     Organisation kind in (VILLAGE, COMMUNITY); 75 of them are joint
                             orgs LOCATED_IN two villages, which is how 177 orgs serve 252 places
  grid_orgs                  Organisation kind=GRID
  pairings                   Agreement kind=PAIRING, each with one agency/institution/SOE org
                             and one village/community org (one per village/community)
  mobilised_orgs             distinct Organisations with at least one Member BELONGS_TO them
                             (the seed's 1,768 基层党组织; town and village committees hold their
                             members in grid branches, so they have none directly)
  members                    Member nodes
  teams                      Team kind in (COMMANDO, VOLUNTEER)
  service_centres            ServiceCentre nodes

conghua (广州从化区, seed 000)
  regional_committees        Alliance kind=REGIONAL_COMMITTEE
  towns_with_regional_committees
                             distinct Regions covered (COVERS) by a REGIONAL_COMMITTEE alliance;
                             all are streets/towns (the district has 8, committees sit in 6)
  wenquan_member_orgs        Organisations MEMBER_OF the alliance named '温泉风景名山区党委'
  wenquan_members            distinct Members BELONGS_TO those organisations
  reporting_units            distinct Organisations that the members with REPORTED_TO belong
                             to (units that sent their members, 单位报到); by construction the
                             same number of community/village orgs received the reports
  reporting_members          distinct Members with REPORTED_TO
  wish_warehouses            Enterprise wishWarehouse=true
  wishes                     Wish nodes
  wishes_claimed             Wish status in (ACCEPTED, FULFILLED, RATED)
  wishes_fulfilled           Wish status in (FULFILLED, RATED)
  contributors               distinct start nodes of CONTRIBUTED

foshan (佛山市, seed 003 part 1)
  towns_streets              Region level in (STREET, TOWN)
  communities                Region level=COMMUNITY (the 191 城市社区; villages are extra)
  grids_level1/2/3           Region level=GRID and gridLevel=1 / 2 / 3
  agency_enterprise_pairings Agreement kind=PAIRING, each between an AGENCY org and an Enterprise
  industry_committees        Alliance kind=INDUSTRY_COMMITTEE
  joint_meeting_alliances    Alliance kind=JOINT_MEETING (32 towns + 191 communities)
  joint_meetings             Meetings OF a JOINT_MEETING alliance
  service_centres_over_3000m2, service_centres_over_10000m2
                             ServiceCentre areaM2 > 3000 / > 10000

Where a literal reading would contradict the seed, the seed won:
- signatory_units counts 乙方 only: counting every unit with PARTY_TO would add the 98 street
  and community orgs that sign as 甲方 (1,514, not the seed's 1,416 stationed units).
- huadu cannot have 1,768 Organisation nodes in all: 177 village/community orgs + 1,461 grid
  orgs + 252 paired agency orgs are already 1,890. The seed's 1,768 are the organisations whose
  members were mobilised, hence mobilised_orgs; the graph holds 1,956 organisations.
- conghua's reporting units are the units whose members report; the seed's 221 are 机关企事业
  单位 reporting to their towns, not the communities receiving members.
The figures count this dataset alone; a store holding other data too will count more.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from service.model import RegionLevel

STREET = RegionLevel.STREET
TOWN = RegionLevel.TOWN


@dataclass(frozen=True, slots=True)
class District:
    code: str  # GB/T 2260
    name: str
    towns: tuple[tuple[str, RegionLevel], ...]  # streets (街道) and towns (镇), in code order


@dataclass(frozen=True, slots=True)
class Profile:
    key: str
    title: str
    province: tuple[str, str]
    city: tuple[str, str]
    districts: tuple[District, ...]
    root_is_city: bool  # foshan is a whole city; the others are one district
    place: str  # how local company names start
    as_of: dt.date  # the date the seed article reports on
    industries: tuple[str, ...]  # enterprise industries, most common first
    birthplaces: tuple[str, ...]  # region codes for members' ID numbers besides the district
    figures: Mapping[str, int]
    params: Mapping[str, int] = field(default_factory=dict)
    minority_share: float = 0.0  # share of Uyghur/Kazakh names among members


def _streets(*names: str) -> tuple[tuple[str, RegionLevel], ...]:
    return tuple((n, STREET) for n in names)


def _towns(*names: str) -> tuple[tuple[str, RegionLevel], ...]:
    return tuple((n, TOWN) for n in names)


URUMQI_ETDZ = Profile(
    key="urumqi-etdz",
    title="乌鲁木齐经济技术开发区（头屯河区）",
    province=("650000", "新疆维吾尔自治区"),
    city=("650100", "乌鲁木齐市"),
    districts=(
        District(
            "650106",
            "乌鲁木齐经济技术开发区（头屯河区）",
            _streets(
                "中亚南路街道",
                "中亚北路街道",
                "嵩山街街道",
                "维泰南路街道",
                "北站西路街道",
                "高铁北站街道",
                "王家沟街道",
                "火车西站街道",
                "头屯河街道",
                "乌昌路街道",
                "两河街道",
                "银川路街道",
                "新市街道",
                "三坪街道",
            ),
        ),
    ),
    root_is_city=False,
    place="新疆",
    as_of=dt.date(2021, 6, 30),
    industries=(
        "商贸",
        "物流",
        "建材",
        "信息技术",
        "电子商务",
        "新能源",
        "机械制造",
        "食品",
        "建筑工程",
        "餐饮",
        "汽车",
        "金融",
        "物业服务",
    ),
    birthplaces=("650102", "650103", "650104", "652301", "653101", "620102", "410102", "510104"),
    minority_share=0.15,
    figures={
        "streets": 14,
        "communities": 84,
        "villages": 7,
        "signatory_units": 1416,
        "part_time_members": 586,
        "property_company_orgs": 9,
        "list_items": 1364,
        "parking_spaces": 1035,
        "street_working_committees": 14,
        "big_party_committees": 84,
        "service_centres": 19,
    },
    params={
        # stationed units by kind; the rest of the 1,416 signatories are private enterprises
        "agency_units": 150,
        "institution_units": 120,
        "social_units": 60,
        "soe_units": 70,
        "second_agreements": 260,  # units that also signed with their street
        "parking_items": 48,
        "claimed_items": 300,
    },
)

BAIYUN = Profile(
    key="baiyun",
    title="广州市白云区",
    province=("440000", "广东省"),
    city=("440100", "广州市"),
    districts=(
        District(
            "440111",
            "白云区",
            _streets(
                "三元里街道",
                "松洲街道",
                "景泰街道",
                "同德街道",
                "黄石街道",
                "棠景街道",
                "新市街道",
                "同和街道",
                "京溪街道",
                "永平街道",
                "嘉禾街道",
                "均禾街道",
                "石井街道",
                "金沙街道",
                "云城街道",
                "鹤龙街道",
                "白云湖街道",
                "石门街道",
            ),
        ),
    ),
    root_is_city=False,
    place="广州",
    as_of=dt.date(2023, 6, 30),
    industries=(
        "商贸",
        "化妆品",
        "生物医药",
        "物流",
        "电子商务",
        "信息技术",
        "餐饮",
        "轨道交通",
        "建筑工程",
        "纺织服装",
        "物业服务",
        "食品",
    ),
    birthplaces=("440103", "440106", "441581", "445221", "430524", "450881", "513022", "360732"),
    figures={
        "streets": 18,
        "urban_villages": 48,
        "street_working_committees": 18,
        "big_party_committees": 48,
        "economic_coop_branches": 426,
        "think_tanks": 66,
        "think_tank_members": 453,
        "lists": 198,
        "list_items": 2717,
        "meetings": 1925,
        "important_matters": 321,
        "matters_done": 2159,
    },
    params={
        "communities": 72,
        "stationed_units": 260,
        "matters": 2600,
        "important_done": 260,
        "claimed_items": 500,
    },
)

HUADU = Profile(
    key="huadu",
    title="广州市花都区",
    province=("440000", "广东省"),
    city=("440100", "广州市"),
    districts=(
        District(
            "440114",
            "花都区",
            _streets("新华街道", "新雅街道", "秀全街道", "花城街道")
            + _towns("花山镇", "花东镇", "炭步镇", "赤坭镇", "狮岭镇", "梯面镇"),
        ),
    ),
    root_is_city=False,
    place="广州",
    as_of=dt.date(2021, 3, 31),
    industries=(
        "皮革皮具",
        "汽车",
        "商贸",
        "物流",
        "纺织服装",
        "电子商务",
        "食品",
        "建筑工程",
        "物业服务",
        "旅游",
    ),
    birthplaces=("440103", "440104", "441802", "441881", "430426", "450923", "522121", "421087"),
    figures={
        "towns_streets": 10,
        "villages_communities": 252,
        "grids": 1401,
        "urban_grids": 791,
        "rural_grids": 610,
        "street_working_committees": 4,
        "big_party_committees": 47,
        "village_community_orgs": 177,
        "grid_orgs": 1461,
        "pairings": 252,
        "mobilised_orgs": 1768,
        "members": 29913,
        "teams": 1000,
        "service_centres": 262,
    },
    params={
        "communities": 64,
        "joint_village_orgs": 75,
        "red_alliances": 5,
        "list_items": 240,
    },
)

CONGHUA = Profile(
    key="conghua",
    title="广州市从化区",
    province=("440000", "广东省"),
    city=("440100", "广州市"),
    districts=(
        District(
            "440117",
            "从化区",
            _streets("街口街道", "城郊街道", "江埔街道") + _towns("温泉镇", "良口镇", "吕田镇", "太平镇", "鳌头镇"),
        ),
    ),
    root_is_city=False,
    place="广州从化",
    as_of=dt.date(2020, 12, 31),
    industries=("农业", "旅游", "酒店", "商贸", "食品", "零售", "设计", "建筑工程", "物流"),
    birthplaces=("440184", "440183", "440111", "441621", "441802", "430426", "450481"),
    figures={
        "regional_committees": 8,
        "towns_with_regional_committees": 6,
        "wenquan_member_orgs": 16,
        "wenquan_members": 437,
        "reporting_units": 221,
        "reporting_members": 10254,
        "wish_warehouses": 10,
        "wishes": 440,
        "wishes_claimed": 360,
        "wishes_fulfilled": 321,
        "contributors": 1592,
    },
    params={
        "communities": 40,
        "villages": 221,
        "other_enterprises": 60,
        "list_items": 200,
    },
)

FOSHAN = Profile(
    key="foshan",
    title="佛山市",
    province=("440000", "广东省"),
    city=("440600", "佛山市"),
    districts=(
        District("440604", "禅城区", _streets("祖庙街道", "石湾镇街道", "张槎街道") + _towns("南庄镇")),
        District(
            "440605",
            "南海区",
            _streets("桂城街道") + _towns("九江镇", "西樵镇", "丹灶镇", "狮山镇", "大沥镇", "里水镇"),
        ),
        District(
            "440606",
            "顺德区",
            _streets("大良街道", "容桂街道", "伦教街道", "勒流街道")
            + _towns("陈村镇", "均安镇", "杏坛镇", "龙江镇", "乐从镇", "北滘镇"),
        ),
        District(
            "440607",
            "三水区",
            _streets("西南街道", "云东海街道") + _towns("白坭镇", "乐平镇", "芦苞镇", "大塘镇", "南山镇"),
        ),
        District("440608", "高明区", _streets("荷城街道") + _towns("杨和镇", "明城镇", "更合镇")),
    ),
    root_is_city=True,
    place="佛山",
    as_of=dt.date(2020, 6, 30),
    industries=("家电", "陶瓷", "家具", "机械制造", "纺织服装", "食品", "信息技术", "物流", "商贸"),
    birthplaces=("440604", "440605", "440606", "441224", "445281", "430524", "450802", "511621"),
    figures={
        "towns_streets": 32,
        "communities": 191,
        "grids_level1": 787,
        "grids_level2": 5302,
        "grids_level3": 10721,
        "agency_enterprise_pairings": 100,
        "industry_committees": 8,
        "joint_meeting_alliances": 223,
        "joint_meetings": 960,
        "service_centres_over_3000m2": 10,
        "service_centres_over_10000m2": 4,
    },
    params={
        "villages": 596,
        "other_enterprises": 200,
        "list_items": 300,
    },
)

PROFILE_SPECS: dict[str, Profile] = {p.key: p for p in (URUMQI_ETDZ, BAIYUN, HUADU, CONGHUA, FOSHAN)}
