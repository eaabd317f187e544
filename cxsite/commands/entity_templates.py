"""Commented templates written by `cxsite new`: every key explained, valid as written."""

from __future__ import annotations

PERSONA = """\
# Persona "{id}" (the id is the file name). A fact-based, semi-fictional customer segment.
# Required: name, role. Everything else is optional: uncomment what you know.
# Reference: the cxsite README, "personas/<id>.yaml"; JSON Schema: `cxsite schema persona`.
name: {name}
role: Describe this persona in one line   # tagline, e.g. "Busy urban runner"
# quote: "What they would say about us, in their own words."
# photo: assets/{id}.jpg              # image inside the project; without it an avatar is drawn
# segment_share: 0.25                 # share of the customer base, 0..1
# summary: |                          # Markdown
#   Who they are and what matters to them, in a short paragraph.
# demographics:                       # free keys, shown in this order
#   Age: 34
#   Location: Denver, CO
# psychographics:                     # free keys; a value may be a list
#   Interests: [trail running, gear reviews]
#   Values: Sustainability
# goals:                              # each a line of inline Markdown
#   - Replace worn gear before race season
# needs:
#   - Honest fit advice
# motivations:
#   - Beat last year's time
# frustrations:
#   - Stock shown online is not on the shelf
# behaviors:
#   - Researches on the phone, buys in store
# need_states:
#   - In a hurry on weekdays
# channels: [mobile-app, store]       # preferred channels (built-in or from cxsite.yaml)
# evidence:                           # what this persona rests on
#   - source: 12 customer interviews
#     url: https://example.com/research/interviews
#     date: 2026-05-01                # YYYY-MM-DD; old evidence is flagged
# tags: [loyal, urban]
"""

JOURNEY = """\
# Journey "{id}" (the id is the file name): the path a persona takes to get a job done.
# Required: title, personas (at least one), stages (at least one, in order).
# Reference: the cxsite README, "journeys/<id>.yaml"; JSON Schema: `cxsite schema journey`.
title: {name}
personas: [{persona}]                 # persona ids (file names in personas/)
# goal: The job to be done, in one line of Markdown
# summary: |                          # Markdown
#   Why this journey matters.
# tags: [priority]
stages:
  - name: Discover                    # unique within the journey
    phase: before                     # before / during / after the purchase
    emotion: 0                        # -2 very negative ... +2 very positive, decimals allowed
    # description: What happens in this stage (Markdown).
    # actions:                        # what the customer does
    #   - Searches for reviews
    # feelings: [curious, overwhelmed]
    # thoughts:                       # in the customer's voice (no personal data)
    #   - "Which one fits me?"
    # touchpoints: [web-product-page] # touchpoint ids (file names in touchpoints/)
    # pain_points:                    # a string (severity medium) or a mapping:
    #   - text: Reviews do not say how it fits
    #     severity: high              # low / medium / high
    #     touchpoint: web-product-page
    # opportunities:                  # a string or a mapping:
    #   - text: Add fit notes from our staff
    #     impact: high                # low / medium / high
    #     effort: low                 # low / medium / high
    #     status: idea                # idea / planned / in-progress / done
    #     owner: Content team
    # backstage:                      # internal processes supporting the stage
    #   - Product data feed
    # metrics: [nps]                  # metric ids measuring this stage
"""

TOUCHPOINT = """\
# Touchpoint "{id}" (the id is the file name): one point of contact with customers.
# Required: name, channel, phase.
# Reference: the cxsite README, "touchpoints/<id>.yaml"; JSON Schema: `cxsite schema touchpoint`.
name: {name}
channel: web      # web, mobile-app, store, email, phone, chat, chatbot, social, sms, mail,
                  # event, partner, word-of-mouth, other, or one listed in cxsite.yaml
phase: before     # before / during / after the purchase
# pillar: digital                     # marketing, communication, digital, content, purchase,
#                                     # delivery, usage, service, support, back-office
# owner: E-commerce team              # team accountable
# provider: company                   # company / influencer / third-party
# description: |                      # Markdown
#   What it is and how it works.
# expectations:                       # what customers expect here
#   - It loads fast on a phone
# moment_of_truth: false              # true for a make-or-break moment
# pyramid: usability                  # utility / usability / pleasurable
# ratings:                            # per persona id, 1..5 each
#   maya-chen: {{importance: 5, satisfaction: 3}}
# metrics: [nps]                      # metric ids
"""

METRIC = """\
# Metric "{id}" (the id is the file name): a KPI and its data.
# Required: name, kind. Data: either `values` or `responses`, not both.
# Reference: the cxsite README, "metrics/<id>.yaml"; JSON Schema: `cxsite schema metric`.
name: {name}
kind: csat        # nps / csat / ces / churn / clv / custom
# category: satisfaction              # satisfaction / behavioral / financial / operational
#                                     # (default from kind; required for custom)
# unit: "%"                           # default from kind
# currency: USD                       # clv only
# higher_is_better: true              # default from kind; required for custom
# target: 85
# owner: Customer care
# description: |                      # Markdown
#   How it is measured.
# values:                             # a pre-aggregated series, periods strictly increasing:
#   - {{period: 2026-Q1, value: 78}}   # 2026, 2026-Q3, 2026-07 or 2026-07-14
#   - {{period: 2026-Q2, value: 81}}
# responses: data/{id}.csv            # or raw survey answers (nps, csat, ces): columns
#                                     # date, score, optional persona, journey, touchpoint
# period: month                       # month / quarter / year, for responses
# scale: [1, 7]                       # ces only
# scope:                              # what it measures (ids)
#   personas: []
#   journeys: []
#   touchpoints: []
"""

TEMPLATES = {"persona": PERSONA, "journey": JOURNEY, "touchpoint": TOUCHPOINT, "metric": METRIC}
