"""Demo data for `manage.py seed_demo`: real-sounding enterprises and campaigns, created
through the same services the site uses, so every campaign has a genuine review trail."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

D = Decimal
PASSWORD = "gotong-demo-2026"  # noqa: S105 - printed by seed_demo for the demo only

USERS = [
    # username, role, first name, email
    ("demo-admin", "admin", "Aisha", "admin@gotong.example"),
    ("demo-reviewer", "reviewer", "Ravi", "reviewer@gotong.example"),
    ("demo-treasurer", "treasurer", "Mei Ling", "treasurer@gotong.example"),
    ("demo-member", "enterprise_member", "Siti", "siti@koperasi-tani.example"),
    ("demo-donor", "donor", "Daniel", "daniel@donor.example"),
    ("demo-focal-id", "focal_point", "Wahyu", "wahyu@focal.example"),
]

ENTERPRISES = [
    # slug, legal name, type, country, city, language, SDGs, description
    (
        "koperasi-tani-makmur",
        "Koperasi Tani Makmur Berhad",
        "cooperative",
        "MY",
        "Kota Bharu",
        "ms",
        [1, 2],
        "A cooperative of 340 rice and vegetable smallholders in Kelantan that mills "
        "and sells its members' harvest together.",
    ),
    (
        "yayasan-tenun-sumba",
        "Yayasan Tenun Ikat Sumba",
        "ngo",
        "ID",
        "Waingapu",
        "id",
        [5, 8],
        "Women weavers of East Sumba keeping ikat traditions alive and selling at fair prices.",
    ),
    (
        "bayanihan-water-coop",
        "Bayanihan Water Service Cooperative",
        "cooperative",
        "PH",
        "Iloilo City",
        "en",
        [6, 5],
        "A community water cooperative serving 1,200 households in Iloilo's upland barangays.",
    ),
    (
        "chiang-mai-organic",
        "Chiang Mai Organic Farmers Social Enterprise",
        "social_enterprise",
        "TH",
        "Chiang Mai",
        "en",
        [2, 12],
        "Certifies and markets organic produce from hill-tribe farming families.",
    ),
    (
        "sewa-kutch-crafts",
        "SEWA Kutch Craft Producers' Association",
        "informal_workers",
        "IN",
        "Bhuj",
        "en",
        [8, 5],
        "Home-based embroiderers of Kutch organised for fair wages and social security.",
    ),
    (
        "tohoku-care-workers",
        "Tohoku Care Workers' Cooperative",
        "cooperative",
        "JP",
        "Sendai",
        "en",
        [3, 8],
        "Worker-owned home-care cooperative founded after the 2011 earthquake.",
    ),
    (
        "seoul-social-bakery",
        "Dongja-dong Social Bakery",
        "social_enterprise",
        "KR",
        "Seoul",
        "en",
        [8, 10],
        "A bakery employing people leaving homelessness in Seoul's Dongja-dong.",
    ),
    (
        "nepal-hill-cbo",
        "Sindhupalchok Community Forest Users' Group",
        "community_based",
        "NP",
        "Chautara",
        "en",
        [15, 13],
        "Manages 900 hectares of community forest and runs a seedling nursery.",
    ),
]

# slug, enterprise, title, currency, goal, state, SDGs, indicators, groups, summary, lines
CAMPAIGNS = [
    ("solar-rice-dryers-kelantan", "koperasi-tani-makmur", "Solar dryers for Kelantan's rice "
     "farmers", "MYR", D("48000"), "live", [2, 7], ["2.3.1", "7.1.1"], ["farmers"],
     "Eight solar dryers so members stop losing a third of the harvest to monsoon rain.",
     [("8 solar dryer units", D("36000")), ("Installation and training", D("12000"))]),
    ("ikat-looms-for-young-weavers", "yayasan-tenun-sumba", "Looms for 40 young weavers", "IDR",
     D("185000000"), "live", [5, 8], ["5.5.2", "8.5.1"], ["women", "youth"],
     "Backstrap looms, natural dyes and a year of mentoring for young women in East Sumba.",
     [("40 looms and dye gardens", D("120000000")), ("Mentoring by master weavers",
      D("65000000"))]),
    ("rainwater-tanks-iloilo", "bayanihan-water-coop", "Rainwater tanks for Barangay Tabucan",
     "PHP", D("750000"), "live", [6], ["6.1.1"], ["women"],
     "Ferro-cement rainwater tanks for 80 households that walk 2 km for water in the dry season.",
     [("80 household tanks", D("600000")), ("Plumbing and maintenance training", D("150000"))]),
    ("organic-cold-room", "chiang-mai-organic", "A cold room for organic vegetables", "THB",
     D("420000"), "ended", [2, 12], ["12.3.1"], ["farmers", "indigenous"],
     "A solar-powered cold room so hill-tribe farmers can sell to Chiang Mai's markets.",
     [("Cold room and panels", D("350000")), ("Transport crates", D("70000"))]),
    ("kutch-embroidery-centre", "sewa-kutch-crafts", "A craft centre for 300 embroiderers", "INR",
     D("2500000"), "live", [8, 5], ["8.3.1"], ["women", "informal_workers"],
     "A shared workspace with light, childcare and a sales counter in Bhuj.",
     [("Building repairs", D("1500000")), ("Childcare corner", D("400000")),
      ("Sales counter and stock", D("600000"))]),
    ("care-cooperative-vans", "tohoku-care-workers", "Two accessible vans for home care", "JPY",
     D("6400000"), "approved", [3], ["3.8.1"], ["disabilities"],
     "Wheelchair-accessible vans so members can reach elderly clients in the hills.",
     [("Two used accessible vans", D("5600000")), ("Insurance for two years", D("800000"))]),
    ("bakery-training-kitchen", "seoul-social-bakery", "A training kitchen in Dongja-dong", "KRW",
     D("38000000"), "submitted", [8, 10], ["8.6.1"], ["youth"],
     "Ovens and a six-month paid apprenticeship for twelve people leaving homelessness.",
     [("Ovens and equipment", D("22000000")), ("Apprentice wages", D("16000000"))]),
    ("forest-seedling-nursery", "nepal-hill-cbo", "A seedling nursery for landslide slopes", "USD",
     D("18500"), "changes_requested", [15, 13], ["15.1.1"], ["farmers", "indigenous"],
     "50,000 native seedlings a year to replant slopes scarred by the 2015 earthquake.",
     [("Nursery sheds and irrigation", D("11000")), ("Seed collection and wages", D("7500"))]),
    ("women-rice-mill", "koperasi-tani-makmur", "A rice mill run by the women's wing", "MYR",
     D("65000"), "draft", [5, 2], ["5.a.1"], ["women", "farmers"],
     "A small mill so the cooperative's women's wing can sell branded rice.",
     [("Mill and husker", D("52000")), ("Branding and packaging", D("13000"))]),
    ("sumba-dye-garden", "yayasan-tenun-sumba", "Natural dye gardens", "IDR", D("42000000"),
     "rejected", [12], ["12.2.1"], ["women"],
     "Indigo and morinda gardens for the weavers' natural dyes.",
     [("Seedlings and land preparation", D("30000000")), ("Training", D("12000000"))]),
    ("tabucan-water-meters", "bayanihan-water-coop", "Water meters for fair billing", "PHP",
     D("320000"), "ended", [6], ["6.4.1"], ["women"],
     "Meters for every connection, so households pay for what they use.",
     [("400 water meters", D("260000")), ("Installation", D("60000"))]),
    ("kelantan-youth-agripreneurs", "koperasi-tani-makmur", "Young agripreneurs programme",
     "MYR", D("30000"), "submitted", [8, 4], ["8.6.1", "4.4.1"], ["youth", "farmers"],
     "A year of training and seed capital for 15 young members starting vegetable plots.",
     [("Training", D("12000")), ("Seed capital grants", D("18000"))]),
]  # fmt: skip

STORY = (
    "<p>{summary}</p><h2>Why it matters</h2><p>{name} has worked in {city} for years. "
    "Members decide together how every ringgit, rupiah or peso is spent, and report back to "
    "donors on the outcomes they promised.</p><h2>What your gift does</h2><ul>{lines}</ul>"
)

DATES = {  # state -> (start offset, end offset) in days from today
    "draft": (14, 104), "submitted": (21, 111), "changes_requested": (21, 111),
    "rejected": (10, 70), "approved": (20, 80), "live": (-12, 48), "ended": (-40, 5),
}  # fmt: skip


def dates_for(state: str, today):
    start, end = DATES[state]
    return today + timedelta(days=start), today + timedelta(days=end)
