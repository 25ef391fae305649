"""The alliance graph model of shared/domain.md: labels, relationship types and the enums.

Labels and relationship types are the only identifiers ever placed into Cypher text, so these
enums are the whitelist: anything not named here is refused before a statement is built. What
each label and type means (properties, ends, cardinality, region paths) is declared once in
service/registry.py.
"""

from __future__ import annotations

from enum import StrEnum


class Label(StrEnum):
    REGION = "Region"
    ORGANISATION = "Organisation"
    ENTERPRISE = "Enterprise"
    MEMBER = "Member"
    ALLIANCE = "Alliance"
    AGREEMENT = "Agreement"
    LIST_ITEM = "ListItem"
    WISH = "Wish"
    MEETING = "Meeting"
    MATTER = "Matter"
    TEAM = "Team"
    SERVICE_CENTRE = "ServiceCentre"
    IMPORT = "Import"  # a file import (loaders/history.py): no region, listed to importers and admins only
    API_KEY = "ApiKey"  # a stored API key (service/keys.py): no region, read by service/keys.py only
    AUDIT_RECORD = "AuditRecord"  # one audited operation (service/audit.py): no region, append-only, admin only
    AGREEMENT_VERSION = "AgreementVersion"  # an agreement as it was before a change (service/graph/versions.py)
    UNIT_MERGE = "UnitMerge"  # a duplicate unit merged into another (service/graph/merging.py)


class RelType(StrEnum):
    PART_OF = "PART_OF"
    UNDER = "UNDER"
    LOCATED_IN = "LOCATED_IN"
    EMBEDDED_IN = "EMBEDDED_IN"
    LED_BY = "LED_BY"
    COVERS = "COVERS"
    MEMBER_OF = "MEMBER_OF"
    PARTY_TO = "PARTY_TO"
    PUBLISHED = "PUBLISHED"
    INCLUDES = "INCLUDES"
    CLAIMED = "CLAIMED"
    BELONGS_TO = "BELONGS_TO"
    REPORTED_TO = "REPORTED_TO"
    SERVES_ON = "SERVES_ON"
    RESPONSIBLE_FOR = "RESPONSIBLE_FOR"
    IN = "IN"
    DISPATCHED_TO = "DISPATCHED_TO"
    ACCEPTED = "ACCEPTED"
    CONTRIBUTED = "CONTRIBUTED"
    OF = "OF"
    ATTENDED = "ATTENDED"
    DECIDED_AT = "DECIDED_AT"
    ASSIGNED_TO = "ASSIGNED_TO"
    SERVES_IN = "SERVES_IN"
    ORGANISED_BY = "ORGANISED_BY"
    RUN_BY = "RUN_BY"


class RegionLevel(StrEnum):
    PROVINCE = "PROVINCE"
    CITY = "CITY"
    DISTRICT = "DISTRICT"
    STREET = "STREET"
    TOWN = "TOWN"
    COMMUNITY = "COMMUNITY"
    VILLAGE = "VILLAGE"
    GRID = "GRID"


class OrgLevel(StrEnum):
    COMMITTEE = "COMMITTEE"
    GENERAL_BRANCH = "GENERAL_BRANCH"
    BRANCH = "BRANCH"
    GROUP = "GROUP"
    WORKING_COMMITTEE = "WORKING_COMMITTEE"


class OrgKind(StrEnum):
    STREET = "STREET"
    TOWN = "TOWN"
    COMMUNITY = "COMMUNITY"
    VILLAGE = "VILLAGE"
    GRID = "GRID"
    COMPOUND = "COMPOUND"
    BUILDING = "BUILDING"
    AGENCY = "AGENCY"
    INSTITUTION = "INSTITUTION"
    SOE = "SOE"
    NON_PUBLIC = "NON_PUBLIC"
    SOCIAL = "SOCIAL"
    INDUSTRY = "INDUSTRY"
    ECONOMIC_COOP = "ECONOMIC_COOP"
    JOINT = "JOINT"


class Ownership(StrEnum):
    STATE = "STATE"
    PRIVATE = "PRIVATE"
    FOREIGN = "FOREIGN"
    COLLECTIVE = "COLLECTIVE"


class AllianceKind(StrEnum):
    STREET_WORKING_COMMITTEE = "STREET_WORKING_COMMITTEE"  # 街道大工委
    COMMUNITY_BIG_COMMITTEE = "COMMUNITY_BIG_COMMITTEE"  # 社区/城中村大党委
    ECONOMIC_COOP_BRANCH = "ECONOMIC_COOP_BRANCH"  # 经济社大支部
    REGIONAL_COMMITTEE = "REGIONAL_COMMITTEE"  # 区域化党委
    JOINT_MEETING = "JOINT_MEETING"  # 党建联席会议
    FUSION_CIRCLE = "FUSION_CIRCLE"  # 党建融合圈
    SPECIAL_COMMITTEE = "SPECIAL_COMMITTEE"  # 专业委员会
    INDUSTRY_COMMITTEE = "INDUSTRY_COMMITTEE"  # 行业党委 / 产业链大党委
    RED_ALLIANCE = "RED_ALLIANCE"  # 红联共建


class AgreementKind(StrEnum):
    CO_BUILDING = "CO_BUILDING"
    PAIRING = "PAIRING"
    RED_ALLIANCE = "RED_ALLIANCE"
    CONTRACT = "CONTRACT"


class AgreementStatus(StrEnum):
    DRAFT = "DRAFT"
    ACTIVE = "ACTIVE"
    EXPIRED = "EXPIRED"
    TERMINATED = "TERMINATED"


class ListKind(StrEnum):
    NEED = "NEED"
    RESOURCE = "RESOURCE"
    PROJECT = "PROJECT"


class ItemStatus(StrEnum):
    OPEN = "OPEN"
    CLOSED = "CLOSED"


class ClaimStatus(StrEnum):
    ACTIVE = "ACTIVE"
    RELEASED = "RELEASED"


class WishStatus(StrEnum):
    PUBLISHED = "PUBLISHED"
    DISPATCHED = "DISPATCHED"
    ACCEPTED = "ACCEPTED"
    FULFILLED = "FULFILLED"
    RATED = "RATED"
    CANCELLED = "CANCELLED"


class MatterMode(StrEnum):
    MAJOR = "大事共议"
    PRACTICAL = "实事共办"
    IMPORTANT = "要事共决"
    URGENT = "急事共商"
    DIFFICULT = "难事共解"


class MatterStatus(StrEnum):
    OPEN = "OPEN"
    IN_PROGRESS = "IN_PROGRESS"
    DONE = "DONE"


class TeamKind(StrEnum):
    VOLUNTEER = "VOLUNTEER"
    COMMANDO = "COMMANDO"
    THINK_TANK = "THINK_TANK"
    STATIONED = "STATIONED"


class MembershipRole(StrEnum):
    LEAD = "LEAD"
    CORE = "CORE"
    SUB_CORE = "SUB_CORE"
    PAN_CORE = "PAN_CORE"
    MEMBER_UNIT = "MEMBER_UNIT"
    ROTATING_CHAIR = "ROTATING_CHAIR"


class Supply(StrEnum):
    """How a wish warehouse (如愿义仓) supplies goods: donated, or at cost (低偿, zero profit)."""

    DONATION = "DONATION"
    AT_COST = "AT_COST"
