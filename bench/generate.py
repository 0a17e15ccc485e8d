"""Write a benchmark corpus of invented public-sector agreements, deterministic from a seed.

Each document is an agreement of about 5,000 words between two sides (a
national government with its departments, agencies and regulators; a region's
councils, authorities and other bodies, grouped as "the X Partners") or, in
some, between two single parties. It has a title and date, a Parties section
defining acronyms, terms and groups, background sections of past events and
descriptions, topic sections whose commitments are phrased in many ways
(commit, agree, will, will seek to, will explore, we will, undertake, shall,
aspiration, aim, passive "by X", bullet lists under lead-ins, "In return"
answers), with conditions, deadlines and governance routes through an
oversight board each agreement defines, and footnotes. Plain text files come
wrapped (as from PDF) or not, with headings in capitals, "a) Title",
"3. Title" or "Section 3: Title" style; Markdown files use ``#`` headings.

The generator knows which sentences it wrote as commitments and who owns them,
and writes them to ``expected.jsonl`` for a rough recall figure (not a gold
standard: it says nothing of what else a sentence commits to).

    python bench/generate.py --docs 100 --seed 1 --out bench/out/corpus-s1-n100

Document ``i`` depends only on the seed and ``i``: the first ten documents of a
100-document corpus are the ten of a 10-document one.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

GENERATOR_VERSION = "1"
TARGET_WORDS = 5000
# Mean commitments (expected.jsonl lines) per document; tuned so that 1,000
# documents give about a million triples (see bench/README.md).
DEFAULT_COMMITMENTS = 7

# --------------------------------------------------------------------------- vocabulary

NATIONS = ["Norland", "Caledon", "Westria", "Albor", "Merovia", "Eastmark", "Lindoria", "Vessland", "Ostria", "Parth"]
PLACE_A = ["Ash", "Kel", "North", "Brae", "Fen", "Wex", "Hol", "Mar", "Tarn", "Elm", "Cor", "Dun", "Lin", "Rav", "Sel",
           "Wyn", "Bar", "Glen", "Hart", "Stan", "Ald", "Bry", "Carr", "Dray", "Fal", "Gar", "Hex", "Kin", "Lang",
           "Mor", "Ness", "Ock", "Pen", "Ros", "Sand", "Thorn", "Ven", "Whit", "Yar", "Brock", "Cold", "Red"]
PLACE_B = ["vale", "bridge", "mere", "ford", "wick", "by", "ton", "field", "holm", "moor", "mouth", "stead", "haven",
           "ley", "worth", "dale", "combe", "minster", "gate", "port", "well", "burn", "water", "head"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
NUMBER_WORDS = {3: "three", 6: "six", 9: "nine", 12: "twelve", 18: "eighteen", 24: "twenty-four"}

# Departments: (name words, topic keys they sponsor)
DEPARTMENTS = [
    ("Department for Housing and Communities", ["housing", "planning"]),
    ("Department for Transport and Infrastructure", ["transport", "digital"]),
    ("Department for Education and Skills", ["skills", "children"]),
    ("Department of Health and Social Care", ["health", "care"]),
    ("Department for Energy and Net Zero", ["netzero", "energy"]),
    ("Department for Environment and Rural Affairs", ["flood", "water", "rural"]),
    ("Department for Business and Trade", ["business", "trade"]),
    ("Department for Work and Employment", ["employment"]),
    ("Department for Culture and Heritage", ["culture"]),
    ("Department of Justice and Community Safety", ["safety"]),
    ("Ministry of Science and Innovation", ["digital", "business"]),
    ("Department for Local Government", ["planning", "data"]),
]
AGENCIES = [
    ("National Skills Agency", ["skills", "employment"]),
    ("Homes and Regeneration Agency", ["housing"]),
    ("National Highways Agency", ["transport"]),
    ("Environment Agency", ["flood", "water"]),
    ("Public Health Agency", ["health"]),
    ("Business Growth Agency", ["business", "trade"]),
    ("Digital Infrastructure Agency", ["digital"]),
    ("National Heritage Agency", ["culture"]),
    ("Energy Networks Agency", ["energy", "netzero"]),
]
REGULATORS = [
    ("Office for Water Regulation", ["water"]),
    ("Care Standards Authority", ["care", "health"]),
    ("Office of Rail and Road", ["transport"]),
    ("Schools and Colleges Inspectorate", ["skills", "children"]),
    ("Energy Markets Regulator", ["energy", "netzero"]),
    ("Housing Standards Regulator", ["housing"]),
]
LOCAL_KINDS = ["City Council", "County Council", "Borough Council", "District Council", "Metropolitan Council"]
OTHER_LOCAL = ["Health Trust", "Transport Authority", "Fire and Rescue Authority", "Local Enterprise Partnership",
               "Police Service", "University", "Housing Association", "Chamber of Commerce", "Water Company",
               "Further Education College", "Community Foundation"]

# Topic vocabulary: every slot a list, so phrases combine.
TOPICS: dict[str, dict[str, list[str]]] = {
    "housing": dict(
        title=["Housing and regeneration", "Housing", "Homes and communities", "Housing supply and quality"],
        noun=["housing", "regeneration", "housing investment"],
        objects=["affordable homes", "brownfield sites", "empty homes", "social rented homes", "estate regeneration schemes",
                 "homes for older people", "modular homes", "town centre sites"],
        plan=["housing delivery plan", "regeneration strategy", "housing investment prospectus", "brownfield land pipeline"],
        metric=["housing completions", "the number of households in temporary accommodation", "average private rents",
                "the number of empty homes"],
        function=["housing investment", "the allocation of housing grant", "land assembly", "the regional housing fund"],
        people=["first-time buyers", "households on the housing register", "private renters", "older homeowners"],
    ),
    "transport": dict(
        title=["Transport", "Transport and connectivity", "Buses, rail and active travel", "Local transport"],
        noun=["transport", "bus", "active travel"],
        objects=["bus routes", "cycle lanes", "rail stations", "park and ride sites", "road junctions", "zero emission buses",
                 "interchanges", "walking routes"],
        plan=["local transport plan", "bus service improvement plan", "active travel network plan", "rail investment strategy"],
        metric=["bus patronage", "average journey times", "the share of journeys made on foot or by bicycle", "road casualties"],
        function=["bus franchising", "the local highways budget", "rail station enhancements", "concessionary fares"],
        people=["commuters", "bus passengers", "disabled travellers", "rural residents"],
    ),
    "skills": dict(
        title=["Skills", "Adult skills and further education", "Skills and training", "Education and skills"],
        noun=["skills", "adult education", "apprenticeship"],
        objects=["apprenticeships", "adult learning courses", "technical qualifications", "skills bootcamps",
                 "college places", "retraining programmes", "digital skills courses", "employer partnerships"],
        plan=["local skills improvement plan", "adult education strategy", "skills investment plan", "careers strategy"],
        metric=["the proportion of adults with no qualifications", "apprenticeship starts", "college completion rates",
                "the number of adults in learning"],
        function=["the adult education budget", "careers advice", "apprenticeship levy transfers", "skills bootcamp funding"],
        people=["young people not in education or training", "adult learners", "apprentices", "career changers"],
    ),
    "health": dict(
        title=["Health and care", "Public health", "Health and wellbeing", "Health inequalities"],
        noun=["health", "public health", "prevention"],
        objects=["community health hubs", "screening programmes", "smoking cessation services", "mental health services",
                 "health checks", "social prescribing schemes", "vaccination clinics", "weight management services"],
        plan=["health and wellbeing strategy", "prevention plan", "health inequalities action plan", "mental health strategy"],
        metric=["healthy life expectancy", "emergency admissions", "childhood obesity", "smoking prevalence"],
        function=["public health commissioning", "the prevention budget", "community health services", "the health estate"],
        people=["patients", "carers", "people with long-term conditions", "residents in deprived neighbourhoods"],
    ),
    "care": dict(
        title=["Adult social care", "Care and support", "Integrated care"],
        noun=["social care", "care", "integrated care"],
        objects=["care home places", "home care packages", "reablement services", "extra care housing schemes",
                 "carers' breaks", "care workforce training"],
        plan=["market position statement", "integrated care strategy", "care workforce plan"],
        metric=["delayed discharges", "care staff vacancies", "the number of people receiving home care"],
        function=["care commissioning", "pooled health and care budgets", "the better care fund"],
        people=["older people", "adults with learning disabilities", "unpaid carers"],
    ),
    "netzero": dict(
        title=["Net zero", "Climate and net zero", "Decarbonisation", "Energy and climate"],
        noun=["net zero", "decarbonisation", "retrofit"],
        objects=["heat pumps", "retrofit schemes", "electric vehicle charge points", "solar installations",
                 "heat networks", "low carbon skills", "home insulation measures", "public building retrofits"],
        plan=["net zero strategy", "local area energy plan", "retrofit delivery plan", "climate adaptation plan"],
        metric=["carbon emissions", "the number of homes with poor energy efficiency", "fuel poverty"],
        function=["retrofit funding", "public sector decarbonisation grants", "heat network zoning"],
        people=["households in fuel poverty", "small businesses", "social housing tenants"],
    ),
    "energy": dict(
        title=["Energy networks", "Energy infrastructure", "Local energy"],
        noun=["energy", "grid", "local energy"],
        objects=["grid connections", "community energy projects", "battery storage sites", "substation upgrades",
                 "hydrogen trials"],
        plan=["energy infrastructure plan", "grid capacity study", "local energy strategy"],
        metric=["grid connection waiting times", "local renewable generation", "energy costs for businesses"],
        function=["network investment planning", "community energy grants", "the local energy fund"],
        people=["energy-intensive businesses", "community energy groups", "developers"],
    ),
    "flood": dict(
        title=["Flood and coastal resilience", "Flood risk", "Coastal resilience", "Resilience"],
        noun=["flood", "coastal", "resilience"],
        objects=["flood defences", "natural flood management schemes", "sea walls", "drainage improvements",
                 "property resilience measures", "coastal monitoring stations"],
        plan=["flood risk management plan", "shoreline management plan", "surface water strategy", "resilience plan"],
        metric=["the number of properties at high risk of flooding", "coastal erosion rates", "flood insurance claims"],
        function=["flood defence investment", "the coastal risk programme", "drainage planning"],
        people=["coastal communities", "farmers", "homeowners in flood risk areas"],
    ),
    "water": dict(
        title=["Water quality", "Rivers and water", "Water and the environment"],
        noun=["water", "river", "catchment"],
        objects=["storm overflows", "wetland schemes", "river restoration projects", "water quality monitors",
                 "catchment partnerships"],
        plan=["catchment management plan", "river basin plan", "water resources plan"],
        metric=["sewage spill hours", "the share of rivers in good ecological condition", "nitrate levels"],
        function=["catchment funding", "water quality enforcement", "nature recovery funding"],
        people=["anglers", "bathers", "farmers"],
    ),
    "rural": dict(
        title=["Rural communities", "Rural services", "The rural economy"],
        noun=["rural", "rural services", "farming"],
        objects=["rural bus services", "village halls", "mobile library services", "farm diversification projects",
                 "rural business units"],
        plan=["rural services strategy", "rural economy action plan", "land use framework"],
        metric=["rural bus frequency", "the number of rural post offices", "farm incomes"],
        function=["rural development grants", "the rural services fund", "land management schemes"],
        people=["farmers", "rural residents", "village communities"],
    ),
    "business": dict(
        title=["Business support and growth", "Economic growth", "Innovation and enterprise", "Business and the economy"],
        noun=["business", "innovation", "enterprise"],
        objects=["business start-ups", "innovation vouchers", "investment zones", "enterprise hubs", "export advisers",
                 "business growth grants", "science parks", "supply chain programmes"],
        plan=["local growth plan", "innovation strategy", "inward investment plan", "business support prospectus"],
        metric=["business survival rates", "productivity", "research and development spending", "the business birth rate"],
        function=["business support funding", "the growth hub", "the regional investment fund", "export promotion"],
        people=["small firms", "entrepreneurs", "manufacturers", "exporters"],
    ),
    "trade": dict(
        title=["Trade and investment", "International trade", "Inward investment"],
        noun=["trade", "investment", "export"],
        objects=["trade missions", "investment propositions", "export finance packages", "freeport sites"],
        plan=["trade and investment plan", "export strategy", "investment prospectus"],
        metric=["exports of goods and services", "foreign direct investment", "the number of exporting firms"],
        function=["investment promotion", "trade advisory services", "the freeport programme"],
        people=["exporters", "overseas investors", "manufacturers"],
    ),
    "employment": dict(
        title=["Employment support", "Work and health", "Employment and welfare", "Jobs and employment"],
        noun=["employment", "employment support", "work and health"],
        objects=["job brokerage services", "supported employment places", "in-work progression schemes",
                 "youth guarantee places", "employment advisers", "job fairs"],
        plan=["employment and skills plan", "work and health strategy", "youth employment plan"],
        metric=["the employment rate", "economic inactivity", "the claimant count", "youth unemployment"],
        function=["employment support commissioning", "the work and health programme", "jobcentre co-location"],
        people=["long-term unemployed people", "disabled jobseekers", "young people", "lone parents"],
    ),
    "culture": dict(
        title=["Culture, heritage and tourism", "Culture and heritage", "The visitor economy"],
        noun=["cultural", "heritage", "tourism"],
        objects=["heritage buildings", "museums", "cultural festivals", "visitor attractions", "creative workspaces",
                 "public art commissions"],
        plan=["cultural strategy", "destination management plan", "heritage action plan"],
        metric=["visitor numbers", "cultural participation", "tourism spending"],
        function=["heritage grants", "the cultural development fund", "destination marketing"],
        people=["visitors", "artists", "heritage volunteers"],
    ),
    "safety": dict(
        title=["Community safety", "Policing and justice", "Safer communities"],
        noun=["community safety", "justice", "violence reduction"],
        objects=["neighbourhood policing teams", "youth diversion schemes", "victim support services",
                 "CCTV upgrades", "probation hubs", "domestic abuse refuges"],
        plan=["community safety plan", "violence reduction strategy", "reducing reoffending plan"],
        metric=["reoffending rates", "anti-social behaviour incidents", "violent crime"],
        function=["victim services commissioning", "the community safety fund", "youth justice services"],
        people=["victims of crime", "young offenders", "residents of high-crime neighbourhoods"],
    ),
    "children": dict(
        title=["Children and young people", "Early years", "Children's services"],
        noun=["early years", "children's services", "family support"],
        objects=["family hubs", "nursery places", "youth centres", "school-based health services", "foster placements",
                 "holiday activity programmes"],
        plan=["children and young people's plan", "early years strategy", "sufficiency strategy"],
        metric=["school readiness", "the number of children in care", "persistent absence"],
        function=["family support funding", "early years entitlements", "children's social care placements"],
        people=["families with young children", "care leavers", "young carers"],
    ),
    "digital": dict(
        title=["Digital connectivity", "Digital and data", "Digital infrastructure"],
        noun=["digital", "broadband", "data"],
        objects=["gigabit broadband connections", "mobile masts", "public wifi sites", "digital inclusion hubs",
                 "smart city sensors"],
        plan=["digital infrastructure plan", "digital inclusion strategy", "data strategy"],
        metric=["gigabit coverage", "the number of residents without internet access", "mobile coverage"],
        function=["broadband procurement", "the digital inclusion fund", "street works permits"],
        people=["digitally excluded residents", "rural businesses", "older people"],
    ),
    "planning": dict(
        title=["Planning and land", "Spatial planning", "Land and assets", "Public land and estates"],
        noun=["planning", "land", "estates"],
        objects=["surplus public sites", "strategic employment sites", "design codes", "land assembly schemes",
                 "one public estate projects"],
        plan=["spatial development strategy", "joint local plan", "public land strategy", "asset disposal plan"],
        metric=["planning decision times", "the amount of vacant public land", "the supply of employment land"],
        function=["strategic planning", "compulsory purchase", "the disposal of surplus public land"],
        people=["developers", "landowners", "local communities"],
    ),
    "data": dict(
        title=["Data, evidence and evaluation", "Data sharing", "Evidence and evaluation"],
        noun=["data", "evaluation", "evidence"],
        objects=["shared datasets", "evaluation reports", "performance dashboards", "data sharing agreements",
                 "household surveys"],
        plan=["evaluation framework", "data sharing protocol", "outcomes framework", "monitoring plan"],
        metric=["data quality", "the time taken to share data", "the number of linked datasets"],
        function=["data sharing", "programme evaluation", "performance reporting"],
        people=["analysts", "service users", "researchers"],
    ),
}
ISSUES = {
    "housing": ["the shortage of affordable homes", "housing affordability", "the quality of private rented homes"],
    "transport": ["poor public transport connectivity", "road congestion", "the decline of bus services"],
    "skills": ["the shortage of technical skills", "low adult participation in learning", "skills gaps in growth sectors"],
    "health": ["the gap in healthy life expectancy", "rising demand for health services", "health inequality"],
    "care": ["the sustainability of the care market", "recruitment to the care workforce", "delayed discharge from hospital"],
    "netzero": ["the cost of decarbonising homes", "reaching net zero", "fuel poverty"],
    "energy": ["grid capacity", "the cost of energy for business", "slow grid connections"],
    "flood": ["flood risk", "coastal erosion", "the resilience of coastal communities"],
    "water": ["river pollution", "the condition of bathing waters", "water scarcity"],
    "rural": ["the loss of rural services", "rural isolation", "the viability of village services"],
    "business": ["low productivity", "access to finance for small firms", "the low rate of business investment"],
    "trade": ["the low number of exporting firms", "attracting overseas investment", "access to new markets"],
    "employment": ["economic inactivity", "long-term unemployment", "in-work poverty"],
    "culture": ["the upkeep of heritage buildings", "seasonal tourism", "access to cultural activity"],
    "safety": ["violent crime", "reoffending", "anti-social behaviour"],
    "children": ["child poverty", "rising demand for children's social care", "school readiness"],
    "digital": ["digital exclusion", "gaps in gigabit coverage", "poor mobile coverage"],
    "planning": ["the supply of developable land", "slow planning decisions", "vacant public land"],
    "data": ["fragmented data", "the lack of shared evidence", "weak evaluation"],
}
for _k, _v in ISSUES.items():
    TOPICS[_k]["issue"] = _v
TOPIC_KEYS = sorted(TOPICS)

ADJ = ["joint", "single", "long-term", "fully costed", "ten-year", "integrated", "shared", "place-based", "three-year",
       "costed", "public", "detailed"]
VEHICLES = ["fund", "taskforce", "programme", "delivery unit", "partnership", "investment board", "commission", "hub"]
ARRANGEMENTS = ["funding arrangements", "governance arrangements", "delivery arrangements", "reporting arrangements",
                "eligibility criteria", "commissioning arrangements"]
DATA_KINDS = ["data", "management information", "performance data", "monitoring data", "evidence"]
PROGRAMME_WORDS = ["Programme", "Initiative", "Partnership", "Pathfinder", "Fund", "Challenge"]
SECTORS = ["advanced manufacturing", "logistics", "financial services", "life sciences", "tourism", "agriculture",
           "digital and creative industries", "offshore energy", "construction", "food and drink", "ports and shipping"]

# Conditions: (text, kind); "{board}" is the oversight board.
CONDITIONS = [
    "subject to the approval of a full business case", "subject to the outcome of the next Spending Review",
    "subject to Parliamentary approval", "subject to agreement by the {board}", "subject to value for money",
    "once the evaluation of the pilot has been completed", "once the necessary legislation is in force",
    "once a joint business case has been agreed", "if the pilot proves successful",
    "if sufficient funding is available", "if the evaluation shows clear benefits",
    "provided that the agreed conditions have been met", "provided that robust governance is in place",
    "where it offers value for money", "where legislation allows",
]
DEADLINES_BY = ["by {y}", "by March {y}", "by the end of {y}", "by {fy}", "no later than 31 March {y}", "by spring {y}",
                "before the end of {y}", "by {d} {m} {y}"]
DEADLINES_FROM = ["from April {y}", "from {fy}", "from {y}", "starting in {y}", "with effect from 1 April {y}"]
DEADLINES_TO = ["to {fy}", "until {fy}", "until {y}", "over the period to {fy}", "up to {fy}"]
DEADLINES_WITHIN = ["within {n} months of signature", "within {n} months of this agreement", "within {n} months"]
ROUTES = ["through {board}", "reporting to {board}", "via {board}", "overseen by {board}",
          "reporting progress regularly to {board}"]

# Commitment phrasings and how often each is drawn.
FRAMES = {
    "will": 8, "commit": 3, "agree": 3, "committed": 2, "seek": 2, "explore": 2, "undertake": 2, "shall": 2,
    "aspiration": 1, "aim": 1, "intend": 1, "pledge": 1, "continue": 1, "reaffirm": 1, "work-with": 2,
    "working-with": 1, "passive": 2, "has-agreed": 1, "nominal": 1, "responsible": 1, "lead": 1,
    "it-is-agreed": 1, "offer": 1, "must": 1,
}

# Verbs: base -> (third person singular, gerund, past participle)
VERBS = {
    "publish": ("publishes", "publishing", "published"),
    "prepare": ("prepares", "preparing", "prepared"),
    "establish": ("establishes", "establishing", "established"),
    "provide": ("provides", "providing", "provided"),
    "share": ("shares", "sharing", "shared"),
    "review": ("reviews", "reviewing", "reviewed"),
    "develop": ("develops", "developing", "developed"),
    "co-design": ("co-designs", "co-designing", "co-designed"),
    "devolve": ("devolves", "devolving", "devolved"),
    "pool": ("pools", "pooling", "pooled"),
    "commission": ("commissions", "commissioning", "commissioned"),
    "deliver": ("delivers", "delivering", "delivered"),
    "fund": ("funds", "funding", "funded"),
    "support": ("supports", "supporting", "supported"),
    "introduce": ("introduces", "introducing", "introduced"),
    "simplify": ("simplifies", "simplifying", "simplified"),
    "set out": ("sets out", "setting out", "set out"),
    "transfer": ("transfers", "transferring", "transferred"),
    "maintain": ("maintains", "maintaining", "maintained"),
    "appoint": ("appoints", "appointing", "appointed"),
    "consult": ("consults", "consulting", "consulted"),
    "align": ("aligns", "aligning", "aligned"),
    "extend": ("extends", "extending", "extended"),
    "reduce": ("reduces", "reducing", "reduced"),
    "increase": ("increases", "increasing", "increased"),
    "create": ("creates", "creating", "created"),
    "expand": ("expands", "expanding", "expanded"),
    "invest": ("invests", "investing", "invested"),
    "work": ("works", "working", "worked"),
    "agree": ("agrees", "agreeing", "agreed"),
    "test": ("tests", "testing", "tested"),
    "pilot": ("pilots", "piloting", "piloted"),
    "make": ("makes", "making", "made"),
    "give": ("gives", "giving", "given"),
    "build": ("builds", "building", "built"),
    "upgrade": ("upgrades", "upgrading", "upgraded"),
    "launch": ("launches", "launching", "launched"),
    "improve": ("improves", "improving", "improved"),
    "promote": ("promotes", "promoting", "promoted"),
}

# --------------------------------------------------------------------------- parties


@dataclass
class P:
    """An invented party: how it is named, and whether it takes 'the' and plural verbs."""

    label: str  # canonical name, without a leading "the"
    the: bool = True
    acronym: str | None = None
    alias: str | None = None  # a defined short name such as "the Government"
    plural: bool = False
    role: str = "member"  # government, department, agency, regulator, member, group, board, group-national
    members: list["P"] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    defined: bool = False  # acronym or alias introduced in the text yet

    def full(self) -> str:
        return ("the " if self.the else "") + self.label


def _acronym(label: str) -> str:
    words = [w for w in re.split(r"[\s-]+", label) if w[:1].isupper()]
    return "".join(w[0] for w in words).upper()


@dataclass
class World:
    """The parties and places of one agreement."""

    rng: random.Random
    nation: str
    region: str
    places: list[str]
    government: P
    national: list[P]  # departments, agencies, regulators (not the government)
    local: list[P]
    groups: dict[str, P]  # "national", "local" -> group party (or absent)
    board: P
    working_groups: list[P]
    others: list[P]
    topics: list[str]
    bilateral: bool
    sides: list[P]  # the parties "we" and "the parties" stand for
    notes: list[str] = field(default_factory=list)  # footnote texts, numbered from 1
    used: set[str] = field(default_factory=set)  # background sentences already written
    uses: dict[int, int] = field(default_factory=dict)  # background template -> times used

    def name(self, p: P, start: bool = False) -> str:
        """A mention of a party: its defined short form or its full name."""
        r = self.rng
        if p.defined and p.alias and r.random() < 0.6:
            s = p.alias
        elif p.defined and p.acronym and r.random() < 0.5:
            s = ("the " if p.role in ("member", "agency", "regulator") and p.label.endswith(("Authority", "Agency", "Partnership"))
                 and r.random() < 0.5 else "") + p.acronym
        else:
            s = p.full()
        return s[0].upper() + s[1:] if start else s

    def first(self, p: P) -> str:
        """The first mention, defining the acronym or short name."""
        s = p.full()
        if p.acronym:
            s += f" ({p.acronym})"
        elif p.alias:
            s += f" (“{p.alias}”)"
        p.defined = True
        return s


def _place(r: random.Random, taken: set[str]) -> str:
    while True:
        a, b = r.choice(PLACE_A), r.choice(PLACE_B)
        name = a + (b if not (a[-1] == b[0]) else b[1:])
        if name not in taken:
            taken.add(name)
            return name


def make_world(r: random.Random) -> World:
    nation = r.choice(NATIONS)
    taken: set[str] = set()
    places = [_place(r, taken) for _ in range(8)]
    region_base = places[0]
    region = r.choice([region_base, f"Greater {region_base}", f"{region_base} and {places[1]}", f"North {region_base}",
                       f"{region_base} City Region", f"West {region_base}"])
    topics = r.sample(TOPIC_KEYS, k=r.randint(5, 8))
    # The national side
    gov_label = r.choice([f"Government of {nation}", f"{nation} Government"])
    government = P(gov_label, the=True, alias="the Government", role="government")
    pool = [d for d in DEPARTMENTS if set(d[1]) & set(topics)] or DEPARTMENTS
    depts = [P(name, acronym=_dept_acronym(r, name), role="department", topics=t)
             for name, t in r.sample(pool, k=min(len(pool), r.randint(1, 3)))]
    ag_pool = [a for a in AGENCIES if set(a[1]) & set(topics)]
    agencies = [P(name if r.random() < 0.5 else f"{nation} {name}", acronym=None, role="agency", topics=t)
                for name, t in r.sample(ag_pool, k=min(len(ag_pool), r.randint(0, 2)))]
    for a in agencies:
        a.acronym = _acronym(a.label) if r.random() < 0.7 else None
    rg_pool = [g for g in REGULATORS if set(g[1]) & set(topics)]
    regulators = [P(name, acronym=_acronym(name) if r.random() < 0.6 else None, role="regulator", topics=t)
                  for name, t in r.sample(rg_pool, k=min(len(rg_pool), r.randint(0, 1)))]
    national = depts + agencies + regulators
    # The local side
    ca = P(r.choice([f"{region} Combined Authority", f"{region} Combined Authority", f"{region} Regional Authority",
                     f"{region} Strategic Authority"]), role="member")
    ca.acronym = _acronym(ca.label)
    councils = []
    for place in places[1 : 1 + r.randint(2, 4)]:
        councils.append(P(f"{place} {r.choice(LOCAL_KINDS)}", the=False, role="member"))
    extra = [P(f"{r.choice(places)} {kind}", the=kind != "University" or r.random() < 0.5, role="member")
             for kind in r.sample(OTHER_LOCAL, k=r.randint(0, 2))]
    for e in extra:
        if e.label.endswith(("Partnership", "Authority")) and r.random() < 0.6:
            e.acronym = _acronym(e.label)
    local = [ca, *councils, *extra]
    bilateral = r.random() < 0.2
    groups: dict[str, P] = {}
    if bilateral:
        sides = [government, ca]
        ca.alias = r.choice(["the Combined Authority", "the Authority"]) if r.random() < 0.5 else None
        if ca.alias:
            ca.acronym = None
    else:
        lname = r.choice([f"{region} Partners", f"{region} Partners", f"{region} Partners", "Local Partners",
                          f"{region} Authorities", "Constituent Partners"])
        nname = r.choice(["Central Partners", "Sponsoring Departments", "Government Partners", f"{nation} Partners",
                          "National Signatories", "Central Government Partners"])
        groups["local"] = P(lname, role="group", plural=True, members=local)
        groups["national"] = P(nname, role="group-national", plural=True, members=[government, *national])
        sides = [groups["national"], groups["local"]]
    board_kind = r.choice(["Board", "Board", "Committee", "Oversight Board", "Programme Board", "Joint Committee"])
    board_label = r.choice([f"{region} Devolution {board_kind}", f"{region} Partnership {board_kind}",
                            f"Joint {region} Implementation {board_kind}", f"{region} Delivery {board_kind}",
                            f"{region} Strategic {board_kind}"]).replace("Joint Joint", "Joint")
    short = "the " + ("Committee" if board_kind.endswith("Committee") else "Board")
    board = P(board_label, role="board", alias=short if r.random() < 0.5 else None)
    if board.alias is None and r.random() < 0.5:
        board.acronym = _acronym(board_label)
    wgs = [P(f"{TOPICS[t]['title'][0].split(',')[0].split(' and ')[0].title()} {r.choice(['Working Group', 'Steering Group', 'Delivery Group'])}",
             role="board") for t in r.sample(topics, k=2)]
    others = [P(f"{region} {k}", role="member") for k in r.sample(
        ["Fire and Rescue Service", "Chamber of Commerce", "Universities Group", "Voluntary Sector Council",
         "Business Council", "Housing Forum", "Local Nature Partnership", "Arts Council"], k=3)]
    return World(r, nation, region, places, government, national, local, groups, board, wgs, others, topics,
                 bilateral, sides)


def _dept_acronym(r: random.Random, name: str) -> str:
    words = [w for w in name.split() if w[:1].isupper()]
    if name.startswith("Department for") and r.random() < 0.4:
        return "Df" + "".join(w[0] for w in words[1:])
    return "".join(w[0] for w in words)


# --------------------------------------------------------------------------- phrases


def _money(r: random.Random) -> str:
    return r.choice([f"up to £{r.randint(2, 95)} million", f"£{r.randint(1, 40)}.{r.randint(1, 9)} million",
                     f"£{r.randint(100, 900)},000 a year", f"£{r.randint(2, 60)} million over {r.choice(['three', 'four', 'five'])} years",
                     f"at least £{r.randint(2, 30)} million"])


def _year(r: random.Random) -> int:
    return r.randint(2026, 2031)


def _fy(r: random.Random, first: int = 2025, last: int = 2030) -> str:
    """A financial year, 2026/27 or 2026-27."""
    y = r.randint(first, last)
    return f"{y}/{(y + 1) % 100:02d}" if r.random() < 0.6 else f"{y}-{(y + 1) % 100:02d}"


def deadline(r: random.Random) -> str:
    kind = r.choices(["by", "from", "to", "within"], weights=[5, 2, 2, 2])[0]
    table = {"by": DEADLINES_BY, "from": DEADLINES_FROM, "to": DEADLINES_TO, "within": DEADLINES_WITHIN}[kind]
    return r.choice(table).format(y=_year(r), fy=_fy(r), d=r.randint(1, 28), m=r.choice(MONTHS),
                                  n=NUMBER_WORDS[r.choice([3, 6, 12, 18])] if r.random() < 0.7 else r.choice([3, 6, 12]))


def condition(w: World) -> str:
    return w.rng.choice(CONDITIONS).format(board=w.board.label)


@dataclass
class Action:
    """A verb phrase: base verb, its object, and what follows it."""

    verb: str
    obj: str
    tail: str = ""
    passive_ok: bool = True

    def base(self) -> str:
        return " ".join(x for x in (self.verb, self.obj, self.tail) if x)

    def gerund(self) -> str:
        return " ".join(x for x in (VERBS[self.verb][1], self.obj, self.tail) if x)

    def third(self) -> str:
        return " ".join(x for x in (VERBS[self.verb][0], self.obj, self.tail) if x)

    def passive(self, agent: str) -> str:
        # "A joint housing fund will be established by X"
        return f"{self.obj} will be {VERBS[self.verb][2]} by {agent}" + (f" {self.tail}" if self.tail else "")


def action(w: World, topic: str, counterpart: str | None, own: str = "its") -> Action:
    """A concrete undertaking about a topic, with an optional counterpart."""
    r = w.rng
    t = TOPICS[topic]
    c = lambda k: r.choice(t[k])  # noqa: E731
    cp = counterpart or w.name(r.choice(w.others))
    options = [
        lambda: Action("publish", f"a {r.choice(ADJ)} {c('plan')}", r.choice(["", f"for {w.region}", f"for {r.choice(w.places)}"])),
        lambda: Action("prepare", f"a {c('plan')}", r.choice(["", f"with {cp}", f"for the whole of {w.region}"])),
        lambda: Action("establish", f"a {r.choice(['joint', 'new', 'single', 'regional'])} {c('noun')} {r.choice(VEHICLES)}", ""),
        lambda: Action("provide", _money(r), f"{r.choice(['towards', 'to support', 'for'])} {c('objects')}"),
        lambda: Action("share", f"{r.choice(DATA_KINDS)} on {c('objects')}", f"with {cp}"),
        lambda: Action("review", f"the {r.choice(ARRANGEMENTS)} for {c('function')}", ""),
        lambda: Action("develop", f"proposals for {c('function')}", r.choice(["", f"with {cp}"])),
        lambda: Action("co-design", f"a new approach to {c('function')}", f"with {cp}"),
        lambda: Action("devolve", f"responsibility for {c('function')}", f"to {cp}"),
        lambda: Action("pool", f"{c('noun')} budgets", r.choice(["", f"across {w.region}"])),
        lambda: Action("commission", f"an independent evaluation of {c('objects')}", ""),
        lambda: Action("deliver", f"{r.randint(2, 90) * 10:,} {c('objects')}", r.choice(["", f"in {r.choice(w.places)}", f"across {w.region}"])),
        lambda: Action("fund", f"a programme of {c('objects')}", r.choice(["", f"in {r.choice(w.places)}"])),
        lambda: Action("support", cp, f"to {r.choice(['expand', 'improve', 'upgrade', 'deliver'])} {c('objects')}"),
        lambda: Action("work", f"with {cp}", f"to {r.choice(['improve', 'expand', 'promote'])} {c('objects')}", passive_ok=False),
        lambda: Action("introduce", f"a {r.choice(['single', 'simplified', 'common'])} {c('noun')} {r.choice(['funding settlement', 'outcomes framework', 'grant'])}", ""),
        lambda: Action("simplify", f"the {r.choice(ARRANGEMENTS)} for {c('function')}", ""),
        lambda: Action("set out", f"{own} priorities for {c('function')}", "", passive_ok=False),
        lambda: Action("maintain", f"funding for {c('objects')}", f"at {_fy(r, 2024, 2025)} levels"),
        lambda: Action("appoint", f"a senior lead for {c('noun')}", ""),
        lambda: Action("consult", cp, f"on changes to {c('function')}"),
        lambda: Action("align", f"{own} {c('plan')}", f"with the {c('plan')} of {cp}", passive_ok=False),
        lambda: Action("extend", f"the {w.region} {c('noun').title()} {r.choice(PROGRAMME_WORDS)}", f"to {r.choice(w.places)}"),
        lambda: Action("reduce", c("metric"), f"by {r.randint(5, 40)} per cent", passive_ok=False),
        lambda: Action("increase", f"the number of {c('objects')}", f"by {r.randint(5, 60)} per cent", passive_ok=False),
        lambda: Action("create", f"{r.randint(2, 40) * 25:,} new {c('objects')}", ""),
        lambda: Action("invest", _money(r), f"in {c('objects')}"),
        lambda: Action("test", f"new models of {c('noun')} provision", f"in {r.choice(w.places)}"),
        lambda: Action("pilot", f"{c('objects')}", f"in {r.choice(w.places)} and {r.choice(w.places)}"),
        lambda: Action("give", cp, f"a greater role in {c('function')}", passive_ok=False),
        lambda: Action("launch", f"a {c('noun')} {r.choice(['challenge fund', 'pathfinder', 'prospectus', 'campaign'])}", ""),
        lambda: Action("agree", f"a {r.choice(['shared', 'common', 'joint'])} set of {c('noun')} outcomes", f"with {cp}"),
        lambda: Action("promote", f"{w.region} as a location for {r.choice(SECTORS)}", ""),
    ]
    return r.choice(options)()


# --------------------------------------------------------------------------- sentences


@dataclass
class Sent:
    text: str
    owners: list[P] | None = None  # a commitment when set
    frame: str = ""
    modality: str = ""


def _cap(s: str) -> str:
    return s[0].upper() + s[1:]


def _subject(w: World, owners: list[P]) -> tuple[str, bool]:
    """A subject phrase for owners (as mid-sentence) and whether it takes a plural verb."""
    names = [w.name(o) for o in owners]
    if len(names) == 1:
        return names[0], owners[0].plural
    lead = ""
    if len(names) == 2 and w.rng.random() < 0.2:
        lead = "both "
    return lead + ", ".join(names[:-1]) + " and " + names[-1], True


def _pick_owners(w: World) -> tuple[list[P] | str, str]:
    """Owners of a commitment: some parties, or 'we' / 'the parties' (the sides)."""
    r = w.rng
    x = r.random()
    cands = [p for p in (w.government, *w.national, *w.local, *w.groups.values())]
    if x < 0.08:
        return "we", "we"
    if x < 0.12:
        return "parties", "parties"
    if x < 0.78:
        weights = [3 if p.role in ("group", "group-national", "government") else 2 if p.role == "department" else 1.5
                   for p in cands]
        return [r.choices(cands, weights=weights)[0]], "single"
    k = 2 if x < 0.95 else 3
    # Coordinated owners from one side or across both
    chosen = r.sample(cands, k=min(k, len(cands)))
    # avoid a group and its own member together
    for g in w.groups.values():
        if g in chosen and any(m in chosen for m in g.members):
            chosen = [g] + [c for c in chosen if c is not g and c not in g.members][:1]
    return chosen, "coordinated" if len(chosen) > 1 else "single"


def _others(w: World, owners: list[P]) -> P:
    """A party on the other side from the owners, as a counterpart."""
    r = w.rng
    national = {id(p) for p in (w.government, *w.national, w.groups.get("national"))}
    if owners and all(id(o) in national for o in owners):
        pool = [*w.local, *([w.groups["local"]] if "local" in w.groups else [])]
    else:
        pool = [w.government, *w.national, *([w.groups["national"]] if "national" in w.groups else [])]
    return r.choice(pool)


def _own(plural: bool, we: bool = False) -> str:
    return "our" if we else "their" if plural else "its"


def commitment(w: World, topic: str, frame: str | None = None, owners=None, prefix: str = "") -> Sent:
    """One commitment sentence in one of many phrasings, with its expected owners."""
    r = w.rng
    if owners is None:
        owners, _ = _pick_owners(w)
    we = owners == "we"
    parties_words = owners == "parties"
    expected = list(w.sides) if (we or parties_words) else owners
    # Qualifiers first: a fronted one decides how the sentence starts.
    pre, post = [], []
    if r.random() < 0.5:
        (pre if r.random() < 0.3 else post).append(deadline(r))
    if r.random() < 0.25:
        (pre if r.random() < 0.5 else post).append(condition(w))
    if r.random() < 0.2:
        post.append(r.choice(ROUTES).format(board=w.name(r.choice([w.board, w.board, *w.working_groups]))))
    if we:
        subj, plural = "we", True
    elif parties_words:
        subj, plural = r.choice([("the parties", True), ("both parties", True), ("the signatories", True),
                                  ("each party", False), ("all parties", True)])
    else:
        subj, plural = _subject(w, owners)
    cp_party = _others(w, expected)
    cp = w.name(cp_party)
    act = action(w, topic, cp if r.random() < 0.7 else None, _own(plural, we))
    if frame is None:
        frame = r.choices(list(FRAMES), weights=list(FRAMES.values()))[0]
    if frame == "nominal" and (we or parties_words):
        frame = "will"
    if frame == "passive" and (not act.passive_ok or we or parties_words):
        frame = "will"
    if frame in ("work-with", "working-with") and act.verb in ("work", "support", "consult", "give"):
        frame = "will"
    s3 = not plural and not we
    verb = lambda sg, pl: sg if s3 else pl  # noqa: E731
    modality = "commitment"
    if frame == "commit":
        core = f"{subj} {verb('commits', 'commit')} to {act.gerund()}"
    elif frame == "agree":
        core = f"{subj} {verb('agrees', 'agree')} to {act.base()}"
    elif frame == "will":
        core = f"{subj} will {act.base()}"
    elif frame == "seek":
        core = f"{subj} will seek to {act.base()}"
        modality = "intention"
    elif frame == "explore":
        core = f"{subj} will explore " + r.choice([f"how best to {act.base()}", f"the scope for {act.gerund()}",
                                                    f"options for {act.gerund()}", f"whether to {act.base()}"])
        modality = "exploration"
    elif frame == "undertake":
        core = f"{subj} {verb('undertakes', 'undertake')} to {act.base()}"
    elif frame == "shall":
        core = f"{subj} shall {act.base()}"
    elif frame == "aspiration":
        core = f"{subj} {verb('has', 'have')} set {r.choice(['an aspiration', 'an ambition', 'a goal'])} to {act.base()}"
        modality = "aspiration"
    elif frame == "aim":
        core = f"{subj} {verb('aims', 'aim')} to {act.base()}"
        modality = "aspiration"
    elif frame == "committed":
        core = f"{subj} {verb('is', 'are')} committed to {act.gerund()}"
    elif frame == "intend":
        core = f"{subj} {verb('intends', 'intend')} to {act.base()}"
        modality = "intention"
    elif frame == "pledge":
        core = f"{subj} {verb('pledges', 'pledge')} to {act.base()}"
    elif frame == "continue":
        core = f"{subj} will continue to {act.base()}"
    elif frame == "reaffirm":
        core = f"{subj} {verb('reaffirms', 'reaffirm')} {_own(plural, we)} commitment to {act.gerund()}"
    elif frame == "work-with":
        core = f"{subj} will work with {cp} to {act.base()}"
    elif frame == "working-with":
        core = f"{subj}, working {r.choice(['with', 'closely with', 'in partnership with'])} {cp}, will {act.base()}"
    elif frame == "has-agreed":
        core = f"{subj} {verb('has', 'have')} agreed to {act.base()}"
    elif frame == "nominal":
        poss = subj + ("’" if subj.endswith("s") else "’s")
        core = f"{poss} {r.choice(['commitment', 'undertaking', 'offer'])} will include {act.gerund()}"
    elif frame == "responsible":
        core = f"{subj} will be responsible for {act.gerund()}"
    elif frame == "lead":
        core = f"{subj} will {r.choice(['lead work', 'take forward work', 'lead a programme of work'])} to {act.base()}"
    elif frame == "it-is-agreed":
        core = f"it is agreed that {subj} will {act.base()}"
    elif frame == "offer":
        core = f"{subj} {verb('offers', 'offer')} to {act.base()}"
    elif frame == "must":
        core = f"{subj} must {act.base()}"
    else:  # passive: "a joint housing fund will be established by X"
        core = act.passive(subj)
    text = prefix + "".join(q + ", " for q in pre) + core
    for q in post:
        text += (", " if q.startswith(("subject", "once", "if", "provided", "where")) else " ") + q
    return Sent(_cap(text.strip()) + ".", expected, frame, modality)


def bullet_list(w: World, topic: str, owners=None, n: int = 0) -> tuple[Sent, list[Sent], str]:
    """A lead-in ending in ':' and its items, which inherit its owners."""
    r = w.rng
    if owners is None:
        owners, _ = _pick_owners(w)
    we = owners == "we"
    expected = list(w.sides) if owners in ("we", "parties") else owners
    if we:
        subj, plural = "we", True
    elif owners == "parties":
        subj, plural = "the parties", True
    else:
        subj, plural = _subject(w, owners)
    s3 = not plural and not we
    kind = r.choice(["committed", "will", "will", "agree", "commit", "return-will", "period-will", "undertake"])
    gerund = kind in ("committed", "commit")
    lead = {
        "committed": f"{subj} {'is' if s3 else 'are'} committed to:",
        "will": f"{subj} will:",
        "agree": f"{subj} {'agrees' if s3 else 'agree'} to:",
        "commit": f"{subj} {'commits' if s3 else 'commit'} to:",
        "return-will": f"{r.choice(['In return', 'In turn'])}, {subj} will:",
        "period-will": f"{r.choice(DEADLINES_TO).format(y=_year(r), fy=_fy(r))}, {subj} will:",
        "undertake": f"{subj} {'undertakes' if s3 else 'undertake'} to:",
    }[kind]
    lead = _cap(lead)
    items = []
    n = n or r.randint(3, 5)
    cap_items = r.random() < 0.25
    for k in range(n):
        act = action(w, topic, w.name(_others(w, expected)) if r.random() < 0.5 else None, _own(plural, we))
        t = act.gerund() if gerund else act.base()
        if r.random() < 0.35:
            t += " " + deadline(r)
        if cap_items:
            t = _cap(t) + "."
        else:
            t += ";" if k < n - 2 else "; and" if k == n - 2 else "."
        items.append(Sent(t, expected, "bullet-" + kind, "commitment"))
    return Sent(lead), items, kind


def reciprocal(w: World, topic: str) -> list[Sent]:
    """A commitment by one side, answered 'In return' / 'In turn' by the other."""
    r = w.rng
    if w.bilateral:
        a, b = [w.sides[0]], [w.sides[1]]
    else:
        nat = [w.government, *w.national, w.groups["national"]]
        loc = [*w.local, w.groups["local"]]
        a, b = [r.choice(nat)], [r.choice(loc)]
        if r.random() < 0.5:
            a, b = b, a
    first = commitment(w, topic, r.choice(["commit", "will", "agree", "undertake"]), a)
    word = r.choice(["In return", "In turn", "In exchange", "In return"])
    second = commitment(w, topic, r.choice(["will", "agree", "commit", "committed"]), b,
                        prefix=f"{word}, ")
    return [first, second]


# --------------------------------------------------------------------------- background


def _be(phrase: str, past: bool = False) -> str:
    """'was'/'were' or 'is'/'are' agreeing with a noun phrase."""
    plural = not phrase.startswith(("the ", "The ")) and phrase.split()[-1].endswith("s")
    return ("were" if plural else "was") if past else ("are" if plural else "is")


def background_sentence(w: World, topic: str) -> str:
    """A sentence of background: past events, descriptions, figures; a few future-tense distractors."""
    for _ in range(8):
        s = _background(w, topic)
        if s not in w.used:
            w.used.add(s)
            return s
    return s


def _background(w: World, topic: str) -> str:
    r = w.rng
    t = TOPICS[topic]
    c = lambda k: r.choice(t[k])  # noqa: E731
    y1 = r.randint(2008, 2023)
    y2 = min(y1 + r.randint(2, 8), 2025)
    place, place2 = r.sample(w.places, 2)
    pct, pct2 = r.randint(3, 45), r.randint(3, 45)
    party, party2 = r.sample([w.government, *w.national, *w.local], 2)
    pname = w.name(party, start=True)
    metric = c("metric")
    rise = r.choice(["rose", "fell", "increased", "decreased", "grew", "declined"])
    normal = [
        lambda: f"In {r.choice(MONTHS)} {y1}, {w.name(party)} published {_docref(w, topic)}, which set out {r.choice(['its', 'a set of', 'shared'])} priorities for {c('function')}.",
        lambda: f"{place} is home to around {r.randint(40, 900):,},000 people, and its economy has grown by {pct} per cent since {y1}.",
        lambda: f"Between {y1} and {y2}, {metric} {rise} by {pct} per cent across {w.region}, compared with {pct2} per cent {r.choice(['nationally', 'across ' + w.nation, 'in comparable regions'])}.",
        lambda: f"{_cap(c('issue'))} remains one of the {r.choice(['main', 'most pressing', 'longest-standing', 'most complex'])} challenges facing {w.region}.",
        lambda: f"The {w.region} {c('noun').title()} {r.choice(PROGRAMME_WORDS)} was launched in {y1} and has since {r.choice(['supported', 'funded', 'delivered', 'helped to create'])} more than {r.randint(2, 90) * 10:,} {c('objects')}.",
        lambda: f"Over the past {r.choice(['decade', 'five years', 'two decades'])}, {w.name(party)} has {r.choice(['invested in', 'supported', 'commissioned', 'expanded'])} {c('objects')} in {place} and {place2}.",
        lambda: f"Evidence gathered by {w.name(party)} in {y1} showed that {metric} in {place} {_be(metric, True)} {pct} per cent {r.choice(['higher', 'lower'])} than the national average.",
        lambda: f"{pname} and {w.name(party2)} worked closely on {c('noun')} {r.choice(['between', 'from'])} {y1} {r.choice(['and', 'to'])} {y2}, including through a joint {r.choice(VEHICLES)}.",
        lambda: f"The economy of {w.region} is {r.choice(['diverse', 'growing', 'resilient', 'changing', 'export-led'])}, with strengths in {', '.join(r.sample(SECTORS, 2))} and {r.choice(SECTORS)}.",
        lambda: f"Around {pct} per cent of {c('people')} in {place} {r.choice(['live more than a mile from', 'report difficulty reaching', 'do not use', 'are unaware of'])} {c('objects')}, against a national average of {pct2} per cent.",
        lambda: f"A review published in {y1} found that {r.choice(['fewer than half of', 'most', 'around a third of', 'two in five'])} {c('objects')} in {w.region} {r.choice(['met the required standard', 'were in need of investment', 'operated at capacity', 'were poorly used'])}.",
        lambda: f"These figures mask {r.choice(['significant', 'wide', 'persistent'])} variation between {place} and {place2}.",
        lambda: f"Several local projects have already shown what can be achieved, among them {c('objects')} in {place}.",
        lambda: f"{place} was among the first areas to {r.choice(['pilot', 'test', 'introduce', 'adopt'])} {c('objects')}, in {y1}.",
        lambda: f"{_docref(w, topic, start=True)} identified {r.choice(['three', 'four', 'five', 'six'])} priorities for {c('noun')}, including {c('function')} and {c('objects')}.",
        lambda: f"{_cap(c('people'))} in {w.region} face {r.choice(['higher costs', 'longer waits', 'fewer choices', 'greater barriers'])} than elsewhere in {w.nation}.",
        lambda: f"The region has {r.choice(['a strong track record', 'long experience', 'an established record'])} of partnership working on {c('noun')}.",
        lambda: f"In {y2}, {metric} stood at {r.choice(['its highest', 'its lowest', 'a record'])} level for {r.choice(['a decade', 'twenty years', 'a generation'])}.",
        lambda: f"Much of this activity has relied on {r.choice(['short-term', 'competitive', 'ring-fenced', 'one-off'])} funding, which has made long-term planning {r.choice(['difficult', 'harder', 'uncertain'])}.",
        lambda: f"Since {y1}, {w.name(party)} has {r.choice(['allocated', 'spent', 'invested'])} {_money(r).replace('up to ', '').replace('at least ', '')} on {c('objects')}.",
        lambda: f"In {y1}, {w.name(party)} and {w.name(party2)} signed {r.choice(['a memorandum', 'an accord', 'a concordat'])} on {c('noun')}, the first of its kind in {w.nation}.",
        lambda: f"The {w.region} {r.choice(PROGRAMME_WORDS)} ran from {y1} to {y2} and reached {r.randint(2, 90) * 100:,} {c('people')}.",
        lambda: f"Most {c('objects')} in {w.region} are {r.choice(['owned', 'run', 'managed', 'funded'])} by {w.name(party)}.",
        lambda: f"{pname} is responsible for {c('function')} across {r.randint(3, 40)} {r.choice(['districts', 'wards', 'localities', 'parishes'])}.",
        lambda: f"Responsibility for {c('function')} currently sits with {w.name(party)}, while {w.name(party2)} {r.choice(['funds', 'regulates', 'inspects', 'delivers'])} {c('objects')}.",
        lambda: f"{pname} employs around {r.randint(2, 90) * 100:,} staff and manages an annual budget of £{r.randint(20, 900)} million.",
        lambda: f"Consultation on {_docref(w, topic)} in {y1} attracted more than {r.randint(2, 40) * 100:,} responses.",
        lambda: f"Following the {r.choice(['storms', 'floods', 'budget settlement', 'closure of two major employers', 'pandemic'])} of {y1}, {w.name(party)} {r.choice(['commissioned', 'launched', 'led'])} {r.choice(['a review', 'an inquiry', 'a study'])} into {c('function')}.",
        lambda: f"Historically, {c('function')} has been {r.choice(['fragmented', 'centralised', 'underfunded', 'split between several bodies'])}, with {r.choice(['three', 'five', 'seven', 'more than ten'])} separate funding streams.",
        lambda: f"{_cap(metric)} {'vary' if _be(metric) == 'are' else 'varies'} widely: in {place} the figure is {pct} per cent, in {place2} {pct2} per cent.",
        lambda: f"{pct} per cent of respondents to the {y1} residents’ survey said that {c('issue')} should be a priority.",
        lambda: f"These pressures are felt most acutely in {place}, where {c('people')} make up {pct} per cent of the population.",
        lambda: f"National policy on {c('noun')} changed in {y1}, when {w.name(party)} {r.choice(['introduced', 'ended', 'replaced', 'reformed'])} {c('function')}.",
        lambda: f"Take-up of {c('objects')} has been {r.choice(['uneven', 'low', 'strong', 'patchy'])}, particularly among {c('people')}.",
        lambda: f"The {r.choice(SECTORS)} sector alone supports around {r.randint(2, 90)},000 jobs in {w.region}.",
        lambda: f"Work on {c('noun')} is already under way in {place}, {place2} and several other areas.",
        lambda: f"{place} and {place2} have {r.choice(['the highest', 'the lowest'])} {r.choice(['rates', 'levels'])} of {metric.removeprefix('the ')} in the region.",
        lambda: f"{pname} set out its approach to {c('function')} in {y1}, after {r.choice(['a public consultation', 'an independent review', 'a year of engagement'])}.",
        lambda: f"The {c('plan')} adopted in {y1} has guided investment in {c('objects')} since then.",
    ]
    distractors = [
        lambda: f"Demand for {c('objects')} will continue to grow as the population {r.choice(['ages', 'grows', 'changes'])}.",
        lambda: f"The Spending Review confirmed that {w.name(party)} will receive {_money(r)} for {c('function')}.",
        lambda: f"{pname} has supported {c('objects')} since {y1} and will continue to do so.",
        lambda: f"Without further action, {metric} {_be(metric)} expected to {r.choice(['rise', 'worsen', 'remain high'])} over the next {r.choice(['five', 'ten'])} years.",
        lambda: f"Local partners estimate that {r.randint(2, 90) * 10:,} more {c('objects')} will be needed by {_year(r)} to meet demand.",
    ]
    if r.random() < 0.08:
        return r.choice(distractors)()
    if r.random() < 0.35:
        return _event(w, topic, party, party2, place, y1)
    # Prefer the templates this document has used least, so no phrasing dominates.
    k = min(range(len(normal)), key=lambda i: (w.uses.get(i, 0), r.random()))
    w.uses[k] = w.uses.get(k, 0) + 1
    return normal[k]()


def _event(w: World, topic: str, party: P, party2: P, place: str, year: int) -> str:
    """A past event composed from parts: opener, actor, action, object, place or partner, result."""
    r = w.rng
    t = TOPICS[topic]
    c = lambda k: r.choice(t[k])  # noqa: E731
    opener = r.choice([f"In {year}, ", f"During {year}, ", f"In {r.choice(MONTHS)} {year}, ", "Last year, ",
                       f"Following a review in {year}, ", f"With support from {w.name(party2)}, ",
                       f"As part of the {w.region} {c('noun').title()} {r.choice(PROGRAMME_WORDS)}, ", "", ""])
    actor = r.choice([w.name(party), w.name(party), f"{place}", "local partners", "the region", w.name(party2),
                      f"a consortium led by {w.name(party)}"])
    act = r.choice([
        f"commissioned a review of {c('function')}", f"opened {r.randint(2, 40)} new {c('objects')}",
        f"completed work on {c('objects')}", f"consulted residents on {c('function')}",
        f"secured {_money(r).replace('up to ', '').replace('at least ', '')} for {c('objects')}",
        f"trained {r.randint(2, 90) * 10:,} {c('people')}", f"brought together {c('people')} and {c('people')}",
        f"piloted {c('objects')}", f"mapped the condition of {c('objects')}",
        f"adopted a {r.choice(ADJ)} {c('plan')}", f"restructured {c('function')}",
        f"evaluated {c('objects')}", f"transferred {c('function')} to a new {r.choice(VEHICLES)}",
        f"published data on {c('metric').removeprefix('the ')}",
    ])
    where = r.choice(["", f" in {place}", f" across {w.region}", f" with {w.name(party2)}",
                      f" in {place} and {r.choice(w.places)}"])
    result = r.choice(["", "", f", which {r.choice(['was widely welcomed', 'informed later funding decisions', 'exceeded its targets', 'fell short of its targets', 'ended in ' + str(min(year + 2, 2025))])}",
                       f", reaching {r.randint(2, 90) * 100:,} {c('people')}", f" at a cost of £{r.randint(1, 90)} million"])
    text = f"{opener}{actor} {act}{where}{result}."
    return text[0].upper() + text[1:]


def _docref(w: World, topic: str, start: bool = False) -> str:
    """A reference to a published document, with a footnote marker glued to it."""
    r = w.rng
    t = TOPICS[topic]
    title = f"{w.region} {r.choice(t['plan']).title()}"
    if r.random() < 0.35:
        w.notes.append(f"{title}, {r.choice(MONTHS)} {r.randint(2012, 2024)}. Available at: "
                       f"https://www.{_slug(w.region)}.gov.example/publications/{_slug(title)}")
        title += f"\u0000{len(w.notes)}\u0000"  # marker placeholder, rendered per format
    return ("The " if start else "the ") + title


def _slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")


def background_paragraph(w: World, topic: str) -> str:
    r = w.rng
    return " ".join(background_sentence(w, topic) for _ in range(r.randint(3, 6)))


# --------------------------------------------------------------------------- document


@dataclass
class Block:
    kind: str  # heading, para, lead, item, footnotes, title, plain
    text: str
    sents: list[Sent] = field(default_factory=list)
    number: str = ""
    level: int = 1


def _words(blocks: list[Block]) -> int:
    return sum(len(b.text.split()) for b in blocks)


def parties_section(w: World) -> list[Block]:
    r = w.rng
    out: list[Block] = []
    if w.bilateral:
        a, b = w.sides
        text = (f"This agreement is made between {w.first(a)} and {w.first(b)}, together “the parties”. "
                f"In this agreement, “we” and “our” refer to both parties together.")
        out.append(Block("para", text))
    else:
        nat, loc = w.groups["national"], w.groups["local"]
        nat_members = ", ".join(w.first(m) for m in nat.members[:-1]) + " and " + w.first(nat.members[-1])
        loc_members = ", ".join(w.first(m) for m in loc.members[:-1]) + " and " + w.first(loc.members[-1])
        style = r.choice(["comprising", "means", "term"])
        if style == "term":
            out.append(Block("lead", "The parties to this agreement are:"))
            out.append(Block("item", f"{nat_members}; and"))
            out.append(Block("item", f"{loc_members}."))
            out.append(Block("para", f"The term “{loc.label}” is used in this agreement to refer to (collectively) "
                                     + ", ".join(w.name(m) for m in loc.members[:-1]) + " and " + w.name(loc.members[-1])
                                     + f". The term “{nat.label}” is used to refer to "
                                     + ", ".join(w.name(m) for m in nat.members[:-1]) + " and " + w.name(nat.members[-1]) + "."))
        elif style == "comprising":
            out.append(Block("lead", "The parties to this agreement are:"))
            out.append(Block("item", f"the “{nat.label}”, comprising {nat_members}; and"))
            out.append(Block("item", f"the “{loc.label}”, comprising {loc_members}."))
        else:
            out.append(Block("lead", "In this agreement:"))
            out.append(Block("item", f"“{nat.label}” means {nat_members};"))
            out.append(Block("item", f"“{loc.label}” means {loc_members}."))
        out.append(Block("para", f"In this agreement, “we” and “our” refer to the {nat.label} and the {loc.label} together, "
                                 f"and references to “the parties” are references to both."))
    b = w.board
    out.append(Block("para", f"This agreement is overseen by {w.first(b)}, described in the section on governance below."
                     if r.random() < 0.5 else
                     f"{_cap(w.first(b))} oversees the implementation of this agreement; its membership is set out below."))
    out.append(Block("para", "This agreement is a statement of shared intent. It does not create legally binding obligations, "
                             "and it does not alter the statutory functions of any party."))
    return out


def plan_blocks(r: random.Random, n: int) -> list[tuple[str, int]]:
    """Commitment blocks adding up to ``n`` commitments: bullet lists, reciprocal pairs, pairs, singles."""
    blocks: list[tuple[str, int]] = []
    while n > 0:
        kind = r.choices(["single", "list", "reciprocal", "pair"],
                         weights=[4, 3 if n >= 3 else 0, 2 if n >= 2 else 0, 1 if n >= 2 else 0])[0]
        size = {"single": 1, "reciprocal": 2, "pair": 2}.get(kind) or r.randint(3, min(5, n))
        blocks.append((kind, size))
        n -= size
    return blocks


def topic_section(w: World, topic: str, budget: int, planned: list[tuple[str, int]]) -> tuple[list[Block], int]:
    """Background paragraphs about one topic, with the planned commitment blocks among them."""
    r = w.rng
    blocks: list[Block] = []
    made = 0
    plan: list = ["bg"] * max(2, budget // 110) + list(planned)
    r.shuffle(plan)
    if plan[0] != "bg":
        plan.insert(0, "bg")
    for item in plan:
        item, size = item if isinstance(item, tuple) else (item, 0)
        if item == "bg":
            blocks.append(Block("para", background_paragraph(w, topic)))
        elif item == "single":
            s = commitment(w, topic)
            intro = background_sentence(w, topic) if r.random() < 0.4 else ""
            sents = [Sent(intro)] if intro else []
            sents.append(s)
            blocks.append(Block("para", " ".join(x.text for x in sents), sents))
            made += 1
        elif item == "pair":
            s = commitment(w, topic)
            if s.owners and len(s.owners) == 1 and s.owners[0] not in w.sides and r.random() < 0.6:
                pron = "They" if s.owners[0].plural else "It"
                follow = commitment(w, topic, "will", s.owners)
                # "It will also ..." : the same owners, by pronoun
                body = follow.text.split(" will ", 1)[1] if " will " in follow.text else None
                if body and follow.frame == "will":
                    follow = Sent(f"{pron} will also {body}", s.owners, "pronoun", "commitment")
            else:
                follow = commitment(w, topic)
            blocks.append(Block("para", s.text + " " + follow.text, [s, follow]))
            made += 2
        elif item == "reciprocal":
            pair = reciprocal(w, topic)
            if r.random() < 0.5:
                blocks.append(Block("para", " ".join(x.text for x in pair), pair))
            else:
                blocks.append(Block("para", pair[0].text, [pair[0]]))
                blocks.append(Block("para", pair[1].text, [pair[1]]))
            made += 2
        else:
            lead, items, kind = bullet_list(w, topic, n=size)
            blocks.append(Block("lead", lead.text, [lead]))
            for it in items:
                blocks.append(Block("item", it.text, [it]))
            made += len(items)
    return blocks, made


def governance_section(w: World, quota: int) -> tuple[list[Block], int]:
    r = w.rng
    b = w.board
    blocks = []
    chair = r.choice([f"the Chair of {w.name(w.local[0])}", f"a minister of {w.name(w.government)}",
                      "a senior official of each side in turn", f"the Mayor of {w.region}"])
    blocks.append(Block("para", f"{w.name(b, start=True)} will oversee the implementation of this agreement and the delivery of "
                                f"the commitments it contains. It will be chaired by {chair} and will meet "
                                f"{r.choice(['quarterly', 'at least twice a year', 'every two months'])}."))
    wg = w.working_groups
    blocks.append(Block("para", f"{w.name(b, start=True)} is supported by {w.first(wg[0])} and {w.first(wg[1])}, which report to it "
                                f"and are made up of officials from each party. Decisions should be taken by consensus "
                                f"wherever possible."))
    made = 0
    topics = w.topics
    while made < quota:
        s = commitment(w, r.choice(topics), r.choice(["will", "agree", "commit", "undertake", "shall"]))
        route = r.choice(ROUTES).format(board=w.name(r.choice([b, *wg])))
        if " through " not in s.text and "reporting" not in s.text and "via" not in s.text and r.random() < 0.7:
            s = Sent(s.text[:-1] + " " + route + ".", s.owners, s.frame + "+route", s.modality)
        blocks.append(Block("para", s.text, [s]))
        made += 1
    review = Sent(f"A review of this agreement will be carried out by {w.name(b)} {deadline(r)}.",
                  list(w.sides), "passive-board", "commitment")
    blocks.append(Block("para", review.text, [review]))
    return blocks, made + 1


def closing_sections(w: World) -> list[tuple[str, list[Block]]]:
    r = w.rng
    y = _year(r)
    dur = [Block("para", f"This agreement takes effect on signature and will remain in force until 31 March {y + 2}. "
                         f"Any party may withdraw from it by giving the others {r.choice(['three', 'six'])} months’ written notice. "
                         f"Nothing in this agreement commits any party to expenditure beyond its approved budgets.")]
    return [(r.choice(["Duration and review", "Duration and termination", "Review and amendment"]), dur)]


def make_document(seed: int, index: int, target_words: int = TARGET_WORDS, commitments: float = DEFAULT_COMMITMENTS):
    """One agreement: (file name, text, expected commitments)."""
    r = random.Random(f"obligraph-bench:{seed}:{index}")
    w = make_world(r)
    fmt = "md" if r.random() < 0.3 else "txt"
    style = "md" if fmt == "md" else r.choice(["caps", "letter", "number", "named", "number"])
    numbered_clauses = style == "number" and r.random() < 0.5
    wrap = fmt == "txt" and not numbered_clauses and r.random() < 0.5
    target = int(target_words * r.uniform(0.93, 1.07))
    n_commit = max(4, round(r.gauss(commitments, commitments * 0.2)))

    kind = r.choice(["Devolution Agreement", "Partnership Agreement", "Memorandum of Understanding",
                     "Collaboration Agreement", "Framework Agreement", "Growth Deal", "Accord"])
    topics_line = ", ".join(TOPICS[t]["title"][0].lower() for t in w.topics[:3])
    title = f"{w.region} {kind}"
    subtitle = (f"between {w.sides[0].full()} and {w.sides[1].full()}" if r.random() < 0.6
                else f"on {topics_line}")
    day, month, year = r.randint(1, 28), r.choice(MONTHS), r.randint(2024, 2026)
    date_line = r.choice([f"Signed on {day} {month} {year}", f"Dated {day} {month} {year}", f"Agreed {month} {year}",
                          f"Published {month} {year}"])

    sections: list[tuple[str, list[Block]]] = []
    intro = [Block("para", background_paragraph(w, w.topics[0])) for _ in range(r.randint(2, 3))]
    intro.insert(0, Block("para", f"This {kind.lower()} sets out how the parties will work together on "
                                  f"{topics_line} and related matters in {w.region}. "
                          + background_sentence(w, w.topics[1])))
    sections.append((r.choice(["Introduction", "Background", "Context", "Introduction and background"]), intro))
    sections.append((r.choice(["Parties", "Parties to this agreement", "Parties and definitions", "The parties"]),
                     parties_section(w)))
    principles = [Block("para", " ".join(background_sentence(w, r.choice(w.topics)) for _ in range(2)))]
    if r.random() < 0.4:
        s = commitment(w, w.topics[0], "committed", "we")
        principles.append(Block("para", s.text, [s]))
    principles.append(Block("lead", "The following principles apply to this agreement:"))
    for k, pr in enumerate(r.sample([
        "decisions should be taken as close as possible to the people they affect",
        "public money should deliver value for money and should not displace private investment",
        "decisions should be made transparently and on the basis of the best available evidence",
        "the needs of local communities should be taken into account at every stage",
        "no party should be worse off as a result of this agreement",
    ], k=3)):
        principles.append(Block("item", pr + (";" if k < 1 else "; and" if k == 1 else ".")))
    sections.append((r.choice(["Purpose and principles", "Principles", "Shared principles"]), principles))

    fixed = _words([b for _, bl in sections for b in bl]) + 700  # governance and closing
    gov_quota = max(1, n_commit // 7)
    left = n_commit - gov_quota - sum(len([s for b in bl for s in b.sents if s.owners]) for _, bl in sections)
    topics = list(w.topics)
    planned: list[list[tuple[str, int]]] = [[] for _ in topics]
    for block in plan_blocks(r, max(0, left)):
        planned[r.randrange(len(topics))].append(block)
    budget_each = max(200, (target - fixed) // len(topics))
    for i, t in enumerate(topics):
        blocks, _ = topic_section(w, t, budget_each, planned[i])
        sections.append((r.choice(TOPICS[t]["title"]), blocks))
    gov, _ = governance_section(w, gov_quota)
    sections.append((r.choice(["Governance", "Governance and accountability", "Governance arrangements", "Oversight and governance"]), gov))
    sections.extend(closing_sections(w))
    # Fit the length: add or drop background paragraphs in the topic sections.
    topic_idx = list(range(3, 3 + len(topics)))
    total = lambda: _words([b for _, bl in sections for b in bl])  # noqa: E731
    guard = 0
    while total() < target - 150 and guard < 200:
        i = r.choice(topic_idx)
        t = topics[i - 3]
        bl = sections[i][1]
        # Anywhere but between a lead-in and its items, or between two items.
        at = r.choice([k for k in range(1, len(bl) + 1) if k == len(bl) or bl[k].kind != "item"])
        bl.insert(at, Block("para", background_paragraph(w, t)))
        guard += 1
    while total() > target + 300 and guard < 400:
        i = r.choice(topic_idx)
        paras = [k for k, b in enumerate(sections[i][1]) if b.kind == "para" and not b.sents and k > 0]
        if paras:
            del sections[i][1][r.choice(paras)]
        guard += 1
    text = render(w, fmt, style, numbered_clauses, wrap, title, subtitle, date_line, sections)
    name = f"agreement_{index:04d}_{_slug(w.region).replace('-', '_')}.{fmt}"
    expected = []
    for _, bl in sections:
        for b in bl:
            for s in b.sents:
                if s.owners:
                    expected.append({"document": name, "sentence": _plain(s.text), "owners": [o.label for o in s.owners],
                                     "frame": s.frame, "modality": s.modality})
    return name, text, expected


def _plain(s: str) -> str:
    return re.sub(r"\x00\d+\x00", "", s)


def render(w: World, fmt: str, style: str, numbered: bool, wrap: bool, title: str, subtitle: str, date_line: str,
           sections: list[tuple[str, list[Block]]]) -> str:
    """The document text in one of the formats and heading styles."""
    r = w.rng
    out: list[str] = []
    width = r.randint(82, 100)
    bullet = r.choice(["•", "-", "*", "–", "(a)", "a)", "i."]) if fmt == "txt" else r.choice(["-", "*", "1."])
    blank_items = fmt == "txt" and (wrap or r.random() < 0.5)
    notes_done = 0

    def marker(text: str) -> str:
        if fmt == "md":
            return re.sub(r"\x00(\d+)\x00", r"[^\1]", text)
        return re.sub(r"\x00(\d+)\x00", r"\1", text)

    def para(text: str, prefix: str = "", hanging: str = "") -> list[str]:
        text = marker(text)
        if not wrap:
            return [prefix + text]
        for extra in range(12):
            lines = textwrap.wrap(text, width=width + extra, initial_indent=prefix, subsequent_indent=hanging,
                                  break_on_hyphens=False, break_long_words=False)
            if not any(_risky(ln[len(hanging):]) for ln in lines[1:]):
                return lines
        return [prefix + text]

    if fmt == "md":
        out += [f"# {title}", "", f"**{_cap(subtitle)}**", "", f"*{date_line}*", ""]
    else:
        out += [title, "", _cap(subtitle), "", date_line, ""]
    for n, (heading, blocks) in enumerate(sections, start=1):
        letter = "abcdefghijklmnopqrstuvwxyz"[n - 1]
        if style == "md":
            out += [f"## {n}. {heading}" if r.random() < 0.8 or n < 3 else f"## {heading}", ""]
        elif style == "caps":
            out += [heading.upper(), ""]
        elif style == "letter":
            out += [f"{letter}) {heading}" if n > 2 else heading.upper(), ""]
        elif style == "number":
            out += [f"{n}. {heading}", ""]
        else:
            out += [r.choice([f"Section {n}: {heading}", f"Part {n} – {heading}"]) if n > 0 else heading, ""]
        clause = 0
        k = 0
        while k < len(blocks):
            b = blocks[k]
            if b.kind in ("para", "lead"):
                clause += 1
                prefix = f"{n}.{clause} " if numbered else ""
                out += para(b.text, prefix)
                out.append("")
                if b.kind == "lead":
                    j = k + 1
                    m = 0
                    while j < len(blocks) and blocks[j].kind == "item":
                        mk = _marker(bullet, m)
                        out += para(blocks[j].text, mk + " ", " " * (len(mk) + 1))
                        if blank_items:
                            out.append("")
                        j += 1
                        m += 1
                    if not blank_items:
                        out.append("")
                    k = j
                    continue
            k += 1
        # Footnotes cited in this section, at its end as at a page foot (plain text).
        if fmt == "txt" and len(w.notes) > notes_done and any(
                f"\x00{i}\x00" in b.text for b in blocks for i in range(notes_done + 1, len(w.notes) + 1)):
            cited = [i for i in range(notes_done + 1, len(w.notes) + 1) if any(f"\x00{i}\x00" in b.text for b in blocks)]
            last = max(cited)
            out.append(" " * r.randint(24, 60))
            for i in range(notes_done + 1, last + 1):
                out.append(f"{i} {w.notes[i - 1]}")
            out.append("")
            notes_done = last
    out += ["Signatures", ""] if fmt == "txt" else ["## Signatures", ""]
    for side in w.sides:
        out += [f"Signed for and on behalf of {side.full()}", f"Name: {_person(r)}",
                f"Position: {r.choice(['Chief Executive', 'Director General', 'Leader', 'Permanent Secretary', 'Chair'])}", ""]
    if fmt == "md" and w.notes:
        out += ["---", ""]
        out += [f"[^{i}]: {t}" for i, t in enumerate(w.notes, start=1)]
        out.append("")
    elif fmt == "txt" and len(w.notes) > notes_done:
        out.append(" " * 40)
        out += [f"{i} {w.notes[i - 1]}" for i in range(notes_done + 1, len(w.notes) + 1)]
        out.append("")
    return "\n".join(out)


def _marker(bullet: str, m: int) -> str:
    if bullet == "(a)":
        return f"({'abcdefghij'[m]})"
    if bullet == "a)":
        return f"{'abcdefghij'[m]})"
    if bullet == "i.":
        return ["i.", "ii.", "iii.", "iv.", "v.", "vi.", "vii."][m]
    if bullet == "1.":
        return f"{m + 1}."
    return bullet


def _risky(line: str) -> bool:
    """True when a wrapped line would read as a bullet, enumerator, footnote or heading."""
    s = line.lstrip()
    return bool(re.match(r"[\u2022\u2013*\-]\s|\(?[a-z]{1,4}[.)]\s|\(?\d{1,3}[.)]?\s|#", s)) or (
        sum(c.isupper() for c in s if c.isalpha()) >= 0.9 * max(1, sum(c.isalpha() for c in s)) and len(s) < 60)


def _person(r: random.Random) -> str:
    return f"{r.choice(['Alex', 'Sam', 'Jordan', 'Morgan', 'Rhian', 'Eilidh', 'Priya', 'Tomasz', 'Amara', 'Owen'])} " \
           f"{r.choice(['Hughes', 'Patel', 'Murray', 'Okafor', 'Lewis', 'Campbell', 'Novak', 'Evans', 'Reid', 'Khan'])}"


# --------------------------------------------------------------------------- command line


def generate(docs: int, seed: int, out: Path, target_words: int = TARGET_WORDS,
             commitments: float = DEFAULT_COMMITMENTS) -> dict:
    """Write ``docs`` agreements and ``expected.jsonl`` into ``out``; return the corpus summary."""
    out.mkdir(parents=True, exist_ok=True)
    words = 0
    with open(out / "expected.jsonl", "w", encoding="utf-8") as exp:
        for i in range(docs):
            name, text, expected = make_document(seed, i, target_words, commitments)
            (out / name).write_text(text, encoding="utf-8")
            words += len(text.split())
            for e in expected:
                exp.write(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n")
    meta = {"docs": docs, "seed": seed, "words": words, "generator": GENERATOR_VERSION,
            "target_words": target_words, "commitments": commitments}
    (out / "corpus.json").write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return meta


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="example: python bench/generate.py --docs 100 --seed 1 --out /tmp/corpus")
    ap.add_argument("--docs", type=int, required=True, help="how many agreements to write")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--out", type=Path, required=True, help="folder to write to (created)")
    ap.add_argument("--words", type=int, default=TARGET_WORDS, help=f"words per document (default {TARGET_WORDS})")
    ap.add_argument("--commitments", type=float, default=DEFAULT_COMMITMENTS,
                    help=f"mean commitments per document (default {DEFAULT_COMMITMENTS})")
    a = ap.parse_args(argv)
    meta = generate(a.docs, a.seed, a.out, a.words, a.commitments)
    print(f"wrote {meta['docs']} documents, {meta['words']:,} words, to {a.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
