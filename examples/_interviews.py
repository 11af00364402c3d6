"""Interview texts and the README of the bundled examples (original writing, data only).

Each interview is a dict: `file`, decision `role` (ground truth, never written into the file),
interviewee `name` and `title`, the account `pool` it is linked to by `generate.py`, and a
`text` template (`$company` is filled in). Markdown notes get YAML front matter; every file is
also listed in the sidecar `interviews.csv`. Interviewer turns only ever ask questions.
"""

from __future__ import annotations

from string import Template

INTERVIEWS: list[dict[str, str]] = [
    {
        "file": "2026-02-11-call-rachel-okafor.txt",
        "role": "champion",
        "name": "Rachel Okafor",
        "title": "Head of Revenue Operations",
        "pool": "fintech",
        "date": "2026-02-11",
        "text": """\
Customer interview - $company - 11 Feb 2026

Interviewer: Thanks for joining. Could you describe your role at $company?
Rachel Okafor: I run revenue operations, so the CRM, billing data, forecasting and the numbers that go to the board. I'm a team of two, me and an analyst.
Interviewer: What was going on when you started looking for a tool like ours?
Rachel Okafor: We had just closed our Series B and the new board member asked for net revenue retention by cohort every month. We had three versions of ARR depending on who you asked. Finance had one in NetSuite, sales had one in Salesforce, and I had a spreadsheet that tried to reconcile them.
Interviewer: How long did that reconciliation take?
Rachel Okafor: Month-end close for revenue metrics took about nine working days. Honestly it was the worst week of my month, every month.
Interviewer: Who else was involved in the decision?
Rachel Okafor: I found you and built the business case, our VP Finance signed it, and our CTO had to approve the Snowflake connection. I basically ran the evaluation and sold it internally.
Interviewer: What nearly stopped the purchase?
Rachel Okafor: Security review. Our CTO wanted the SOC 2 report before anyone touched production data. Once we sent that over it moved fast.
Interviewer: Where did you hear about us?
Rachel Okafor: The RevOps Co-op Slack community. Someone posted a screenshot of a cohort chart and I asked what it was. I trust peers in that group more than any analyst report.
Interviewer: What does success look like for you a year from now?
Rachel Okafor: The board deck builds itself. I want one number for ARR that everyone agrees on, and I want to spend my time on pricing analysis instead of copy-pasting.
Interviewer: What kind of material helped you make the case internally?
Rachel Okafor: A short ROI calculator and a one-page security summary. Long whitepapers I never read.
""",
    },
    {
        "file": "2026-02-19-notes-tom-alvarez.md",
        "role": "champion",
        "name": "Tom Alvarez",
        "title": "Director of Revenue Operations",
        "pool": "fintech",
        "date": "2026-02-19",
        "text": """\
# Call notes: Tom Alvarez, $company

- Owns forecasting, comp plans and the data behind the weekly pipeline review.
- Trigger: a new CFO joined and asked for a forecast that finance and sales both sign off on. Tom said: "The CFO gave me one quarter to fix the forecast or we'd hire a consultant."
- Pain, in his words: "Every Monday starts with an argument about whose number is right."
- Pain: renewals and expansion live in billing (Stripe), new business lives in HubSpot, nobody joins them. "Expansion revenue was invisible until someone asked for it."
- How they chose: trialled us against a BI build in Looker. "Building it ourselves would have been a six-month project with one data engineer."
- He ran the pilot and pulled in finance once the numbers matched their close.
- Objection he had to answer internally: "Is this just another dashboard nobody opens?"
- Information sources: Pavilion community, RevOps newsletters, asks peers on LinkedIn before booking any demo.
- Wants: "I want to walk into the board meeting and not be the person explaining why the numbers changed."
- Content preference: "Show me a real customer's cohort report, not a feature list."
""",
    },
    {
        "file": "2026-03-03-qa-helen-park.md",
        "role": "economic_buyer",
        "name": "Helen Park",
        "title": "VP Finance",
        "pool": "fintech",
        "date": "2026-03-03",
        "text": """\
# Interview notes: Helen Park, $company (Q&A)

Q: What is your role in buying software like this?
A: I own the budget for finance and revenue tooling. Anything above twenty thousand a year needs my signature and a payback case.

Q: What made this a priority this year?
A: Our auditors flagged how we calculate deferred revenue and the board wanted metrics we could defend. Being wrong in front of investors is expensive.

Q: What did you need to see before you signed?
A: Payback inside a year. Rachel showed that the close would drop from nine days to three, which is roughly half an analyst's time. That was enough.

Q: What worried you about the purchase?
A: Price creep. We have been burned by tools that double the price at renewal once you depend on them. I asked for a two-year price lock.

Q: How do you usually evaluate vendors?
A: I ask two or three other finance leaders I trust, and I read the G2 reviews for complaints, not praise.

Q: What would make you cancel?
A: If the numbers stopped matching our general ledger. Trust is the whole product for us.

Q: What kind of content do you want from a vendor?
A: A one-page business case I can forward to the CEO. Benchmarks against similar companies are useful too.
""",
    },
    {
        "file": "2026-03-10-call-david-mensah.txt",
        "role": "economic_buyer",
        "name": "David Mensah",
        "title": "CFO",
        "pool": "other",
        "date": "2026-03-10",
        "text": """\
$company - customer conversation (recorded, 10 March 2026)

[00:00:04] Interviewer: Could you tell me what you are responsible for?
[00:00:09] David Mensah: I'm the CFO. Finance, legal and anything with a contract attached, which includes every software purchase.
[00:01:02] Interviewer: What was the situation before you bought?
[00:01:10] David Mensah: We were preparing for a debt facility and the lender wanted monthly recurring revenue, churn and cohort data in a standard format. We produced it by hand and it took the team most of a week.
[00:02:31] Interviewer: How did you decide the spend was justified?
[00:02:38] David Mensah: I compared it with the cost of a contractor doing the same reports. The subscription was cheaper than two months of a contractor, so the decision was easy.
[00:03:45] Interviewer: What concerns did you raise during the evaluation?
[00:03:52] David Mensah: Lock-in, mostly. I wanted to know we could export everything if we left. And I wanted annual billing, not monthly, because it is easier to budget.
[00:05:12] Interviewer: Who did the hands-on evaluation?
[00:05:17] David Mensah: Our head of data did the technical side. I only joined for the pricing call and the contract.
[00:06:40] Interviewer: Where do you go when you are researching a purchase like this?
[00:06:47] David Mensah: My CFO peer group meets every quarter and we swap notes on tools. I also listen to a couple of SaaS finance podcasts on the train.
[00:08:02] Interviewer: What result would make you renew without thinking about it?
[00:08:09] David Mensah: The lender pack goes out on the third working day of the month and nobody on my team works late to produce it.
""",
    },
    {
        "file": "2026-03-14-zoom-amir-haddad.vtt",
        "role": "technical_buyer",
        "name": "Amir Haddad",
        "title": "CTO",
        "pool": "fintech",
        "date": "2026-03-14",
        "text": """\
WEBVTT

1
00:00:01.000 --> 00:00:05.200
Interviewer: Could you start by describing your role?

2
00:00:05.600 --> 00:00:17.900
Amir Haddad: I'm the CTO at $company. I own the platform, the data warehouse and security, so every vendor that touches customer data goes through me.

3
00:00:18.300 --> 00:00:22.100
Interviewer: What did you need to check before approving the tool?

4
00:00:22.500 --> 00:00:41.000
Amir Haddad: Three things. A SOC 2 Type II report, read-only access to Snowflake through a scoped service account, and single sign-on. If a vendor wants write access to our warehouse the conversation ends there.

5
00:00:41.400 --> 00:00:45.000
Interviewer: How long did the technical review take?

6
00:00:45.400 --> 00:01:02.300
Amir Haddad: About two weeks. Most of it was our own security questionnaire. The integration itself took an afternoon, which surprised me.

7
00:01:02.700 --> 00:01:06.900
Interviewer: What would have made you say no?

8
00:01:07.300 --> 00:01:24.800
Amir Haddad: Another pipeline to maintain. My team is small and I don't want to own a fragile sync job. If it had needed custom ETL we would have built the reports in dbt ourselves.

9
00:01:25.200 --> 00:01:29.000
Interviewer: Where do you look for information about tools like this?

10
00:01:29.400 --> 00:01:44.600
Amir Haddad: The dbt community Slack and engineering blogs from companies like ours. I skip sales decks and go straight to the API docs and the security page.
""",
    },
    {
        "file": "2026-03-18-call-grace-liu.txt",
        "role": "technical_buyer",
        "name": "Grace Liu",
        "title": "Head of Data",
        "pool": "other",
        "date": "2026-03-18",
        "text": """\
Interview with Grace Liu, $company, 18 March 2026

Interviewer: What does your team look after?
Grace Liu: The warehouse in BigQuery, the dbt models on top of it and the dashboards the business uses. Three engineers and me.
Interviewer: How did the request for a revenue analytics tool reach you?
Grace Liu: Finance asked for cohort retention and we had a backlog of forty tickets. I could either hire another analytics engineer or buy something that already models subscription data.
Interviewer: What did you evaluate technically?
Grace Liu: Whether the data model handles upgrades, downgrades and pauses correctly. Most tools get proration wrong. I tested it on our messiest customers first.
Interviewer: Which concerns came up?
Grace Liu: Data freshness and where the data is stored. We have customers in Germany, so EU hosting was a must. And I did not want a black box: I need to see the SQL behind each metric.
Interviewer: What tipped the decision?
Grace Liu: The metric definitions were documented and we could reproduce every number in our own warehouse. That made me comfortable signing off.
Interviewer: How do you keep up with tools in this space?
Grace Liu: Locally Optimistic, a few newsletters, and I ask other data leads what they regret buying.
""",
    },
    {
        "file": "2026-03-21-notes-priya-raman.md",
        "role": "end_user",
        "name": "Priya Raman",
        "title": "Data Analyst",
        "pool": "fintech",
        "date": "2026-03-21",
        "text": """\
# Notes: Priya Raman, $company

- Uses the product daily; builds the weekly revenue report and answers ad hoc questions from sales leadership.
- Before: "I spent Mondays exporting CSVs from three systems and gluing them together with VLOOKUPs."
- Biggest pain: "Any time someone changed a field in Salesforce my whole spreadsheet broke."
- What she values now: drill-down from ARR to the individual invoices. "When the CEO asks why churn jumped, I can answer in the meeting instead of the next day."
- Friction: wants saved filters shared across the team, and a better way to annotate one-off adjustments.
- Learns tools through YouTube walkthroughs and the help centre; "I never read the manual, I search for the exact error."
- Goal for this year: automate the board pack so she can work on pricing experiments.
""",
    },
    {
        "file": "2026-03-25-qa-lucas-meyer.md",
        "role": "end_user",
        "name": "Lucas Meyer",
        "title": "FP&A Analyst",
        "pool": "fintech",
        "date": "2026-03-25",
        "text": """\
# Q&A notes: Lucas Meyer, $company

Q: How do you use the product day to day?
A: I start the morning on the retention dashboard, then I pull the numbers for our rolling forecast. It replaced about half of my spreadsheet models.

Q: What was hardest before you had it?
A: Reconciling bookings with billing. A deal signed in March might invoice in May, and explaining that gap to sales took hours every month.

Q: What do you still find frustrating?
A: Exports to Excel lose the formatting, and I still keep a shadow model for scenarios the tool cannot do yet.

Q: Who decided to buy it?
A: Our head of RevOps pushed for it and finance paid for it. I was asked to test it for two weeks and report back.

Q: Where do you learn about new features or tricks?
A: The in-app changelog and a finance analysts' Discord I am part of. Short videos are better than webinars.
""",
    },
    {
        "file": "2026-04-02-call-nadia-kowalski.txt",
        "role": "blocker",
        "name": "Nadia Kowalski",
        "title": "IT Security Lead",
        "pool": "large",
        "date": "2026-04-02",
        "text": """\
$company - security stakeholder interview

[00:00:03] Interviewer: What is your part in approving new software?
[00:00:08] Nadia Kowalski: I run vendor risk. Nothing that touches customer or financial data goes live without my sign-off, and I have said no to plenty of tools that the business loved.
[00:01:15] Interviewer: What did you ask for during our review?
[00:01:21] Nadia Kowalski: The SOC 2 report, the pen test summary, the list of sub-processors and proof of SSO with SCIM provisioning. I also asked where backups are kept.
[00:02:40] Interviewer: What slowed the review down?
[00:02:46] Nadia Kowalski: The sub-processor list was out of date and your questionnaire answers contradicted the DPA in one place. That cost us three weeks.
[00:04:05] Interviewer: What would make you block a tool like this outright?
[00:04:12] Nadia Kowalski: Shared logins, no audit log, or a vendor that wants a full copy of our CRM when it only needs a few objects. At our size, one leaked export is a disclosure event.
[00:05:30] Interviewer: How do you decide which vendors to trust?
[00:05:36] Nadia Kowalski: A trust portal I can read without a sales call, and answers from an engineer rather than an account executive.
[00:06:48] Interviewer: What would make the next review easier?
[00:06:53] Nadia Kowalski: Send the security pack before the business gets attached to the product. When I am the last to hear about it, I become the person who says no.
""",
    },
    {
        "file": "2026-04-08-notes-ben-carter.md",
        "role": "blocker",
        "name": "Ben Carter",
        "title": "Procurement Manager",
        "pool": "large",
        "date": "2026-04-08",
        "text": """\
# Call notes: Ben Carter, $company (procurement)

- Role: runs software procurement; every contract over a threshold needs three quotes and legal review.
- His view of the deal: "The business had already decided before I heard the name of the vendor."
- Objection: "Per-seat pricing punishes us for rolling it out widely, so I pushed back hard on seats."
- Objection: the standard contract auto-renews with a 60-day notice window; he wanted 30 days and a cap on renewal uplift.
- Blocked the first order form because the data processing addendum was missing. "No DPA, no signature, it doesn't matter who is asking."
- Timeline: procurement added five weeks to the deal; says that is normal for their size.
- Sources: vendor comparison spreadsheets shared by other procurement teams, and Gartner peer reviews.
""",
    },
    {
        "file": "2026-04-15-call-sam-whitaker.txt",
        "role": "champion",
        "name": "Sam Whitaker",
        "title": "Operations Lead",
        "pool": "churned",
        "date": "2026-04-15",
        "text": """\
Churned customer interview - $company

Interviewer: What did you hope the product would do for you?
Sam Whitaker: I wanted one place to see our subscription numbers. I found you, set up the trial and talked the founders into paying for it.
Interviewer: What happened after you went live?
Sam Whitaker: It worked, but we only have a few hundred invoices a month. A Google Sheet does most of it if you are patient, and the founders saw it as a nice-to-have.
Interviewer: Why did you cancel in the end?
Sam Whitaker: A bad quarter. We cut every tool that was not directly tied to revenue, and the price was hard to defend for a company our size.
Interviewer: Was anything missing from the product?
Sam Whitaker: An integration with Xero would have helped. We export invoices by hand, so the data was always a week behind.
Interviewer: What would have kept you as a customer?
Sam Whitaker: A smaller plan. We did not need forecasting or board reports, we needed a monthly churn number and a chart.
Interviewer: Where did you first hear about us?
Sam Whitaker: A comparison article I found on Google when I searched for a cheaper option than a BI tool.
""",
    },
    {
        "file": "2026-04-20-qa-ellie-brooks.md",
        "role": "economic_buyer",
        "name": "Ellie Brooks",
        "title": "Founder & CEO",
        "pool": "churned",
        "date": "2026-04-20",
        "text": """\
# Exit interview notes: Ellie Brooks, $company (Q&A)

Q: How did the purchase decision happen?
A: Our ops lead championed it and I approved the spend. We are self-funded, so every subscription comes out of my own margin.

Q: Why did you decide to cancel?
A: Cash was tight and I could not point to a decision we made differently because of the dashboards. It felt like paying for reports I could build in a spreadsheet.

Q: Was the price the main issue?
A: Price relative to our size. For a company with our revenue it was one of our five biggest software costs.

Q: What would bring you back?
A: If we raise a round and investors start asking for cohort metrics, I would look again. Until then we do not need it.

Q: How do you hear about tools?
A: Founder friends and a bootstrapped founders' forum. I am wary of anything that needs a sales call to see the price.
""",
    },
    {
        "file": "2026-04-28-call-omar-farouk.txt",
        "role": "end_user",
        "name": "Omar Farouk",
        "title": "Revenue Analyst",
        "pool": "fintech",
        "date": "2026-04-28",
        "text": """\
$company - end user interview, 28 April 2026

[00:00:05] Interviewer: Could you walk me through a normal week with the product?
[00:00:11] Omar Farouk: Monday I check the churn and contraction report, Wednesday I prepare the pipeline-to-revenue bridge for the forecast call, and at month end I export the board metrics.
[00:01:20] Interviewer: What did those tasks look like before?
[00:01:26] Omar Farouk: A chain of spreadsheets with macros that only my predecessor understood. When he left, nobody could explain how the churn number was calculated.
[00:02:44] Interviewer: Which feature do you use most?
[00:02:49] Omar Farouk: The cohort view. I can show the sales team that customers from payments companies expand faster, and they actually listen because the chart is clear.
[00:03:58] Interviewer: What slows you down today?
[00:04:03] Omar Farouk: Permissions. I need to share a report with a sales manager without giving them access to every customer's revenue.
[00:05:17] Interviewer: How did you learn the tool?
[00:05:22] Omar Farouk: The onboarding videos and one session with your customer success manager. After that I mostly search the help centre.
""",
    },
]

SECOND_INTERVIEWS: list[dict[str, str]] = [
    {
        "file": "practice-manager-joanna-reid.md",
        "role": "champion",
        "name": "Joanna Reid",
        "title": "Practice Manager",
        "date": "2026-05-06",
        "text": """\
# Notes: Joanna Reid, $company

- Runs the front office of a physiotherapy clinic; chose Brightdesk after a double-booking complaint.
- "Patients were calling three times to move one appointment and we were losing the whole morning to the phone."
- Sold it to the owner with a one-page estimate of no-shows saved.
- Wants SMS reminders in more languages.
""",
    },
    {
        "file": "clinic-owner-marcus-bell.md",
        "role": "economic_buyer",
        "name": "Marcus Bell",
        "title": "Clinic Owner",
        "date": "2026-05-09",
        "text": """\
# Q&A: Marcus Bell, $company

Q: Why did you approve the purchase?
A: No-shows cost us more than the subscription in the first month. After that it was easy.

Q: What worries you about the tool?
A: Patient data. I asked where it is stored before I signed anything.
""",
    },
    {
        "file": "front-desk-aisha-khan.txt",
        "role": "end_user",
        "name": "Aisha Khan",
        "title": "Front Desk Coordinator",
        "date": "2026-05-12",
        "text": """\
Call with Aisha Khan, $company

Interviewer: How do you use Brightdesk during the day?
Aisha Khan: It is open all day on my screen. I move bookings, send reminders and check who has paid.
Interviewer: What would you change?
Aisha Khan: The calendar gets slow on Mondays when everyone reschedules at once.
""",
    },
    {
        "file": "it-contractor-leo-grant.txt",
        "role": "blocker",
        "name": "Leo Grant",
        "title": "IT Contractor",
        "date": "2026-05-15",
        "text": """\
Leo Grant (looks after IT for $company) - phone notes

Interviewer: What did you check before the clinic could go live?
Leo Grant: Two-factor login and whether the data stays in the country. I held it up for two weeks until they confirmed both.
Interviewer: What would make you reject a tool like this?
Leo Grant: Shared passwords at the front desk. I see it all the time and it is the first thing I stop.
""",
    },
]


def render(item: dict[str, str], fields: dict[str, str]) -> str:
    """Fill an interview template; Markdown notes get front matter naming the interviewee."""
    body = Template(item["text"]).substitute(fields)
    if not item["file"].endswith(".md"):
        return body
    front = (
        f"---\ninterviewee: {fields['name']}\ntitle: {fields['title']}\n"
        f"company: {fields['company']}\naccount_id: {fields['account_id']}\n"
        f"date: {item['date']}\n---\n\n"
    )
    return front + body


README = Template("""\
# Acme Analytics: the bundled example

Acme Analytics is an invented B2B SaaS vendor of revenue analytics (it connects a customer's CRM,
billing and warehouse and produces ARR, retention and board metrics). Everything in this folder
is **synthetic**: it is written by `examples/generate.py` with seed `$seed` and regenerated
byte-for-byte by `python examples/generate.py`. Do not edit the files by hand; change the script
(`tests/test_examples.py` fails when the committed files and the script disagree).

| file | what |
|---|---|
| `accounts.csv` | $n_accounts customer accounts as a CRM export (firmographics, tech stack, ARR, churn, NPS, tickets, days to close, referrals), with a little realistic mess: some `$$12,000` money strings, `N/A`, blank NPS, industry case variants |
| `deals.csv` | $deals_won won, $deals_lost lost and $deals_open open opportunities on these accounts |
| `interviews/` | $n_interviews interview notes in mixed formats (speaker-labelled transcripts, timestamped transcripts, bullet notes, Q&A, a `.vtt`), linked to accounts by front matter and by `interviews/interviews.csv` |
| `ground_truth.json` | what the generator planted, for tests and evals |

Dates are relative to the as-of date $as_of. Active ARR is $$$total_arr_active across
$active_accounts active accounts (churn so far: $churn_pct% of all accounts).

## Planted truths

- **Best segment**: Industry = FinTech. These accounts have higher ARR, retention, NPS,
  expansion and referrals, fewer support tickets, faster closes and a higher deal win rate.
- **Bad-fit trait**: Funding Stage = Bootstrapped: more churn (mostly on price and budget),
  lower health and more lost deals. Google Sheets in the tech stack is common among them, so it
  may surface as a correlated bad-fit signal.
- **Numeric sweet spot**: 50–200 employees.
- **Noise**: Country, Lead Source and CRM Owner were assigned independently of every outcome
  and must not come out as significant.
- **Interviews** cover all five decision roles (champion, economic buyer, technical buyer, end
  user, blocker); which file is which role is listed in `ground_truth.json`, not in the files.

Outcomes are drawn from a latent fit score (planted traits plus random noise), so the patterns
are real but not perfectly separable, as in a real customer base. The seed was picked so that a
plain analysis (percentile health score with the default weights, Fisher exact on the top 20%
vs the bottom 20%, Benjamini–Hochberg at q ≤ 0.10) shows the three planted traits and the
correlated Google Sheets signal and nothing else; with other seeds the same traits come out in
almost every draw, next to the occasional chance finding a real data set would also have.

Deals are opportunities on these same accounts (recent customers' new-business wins, earlier
lost attempts of some of them, and open expansion deals), so every deal joins to an account.
""")


def readme(truth: dict) -> str:
    """The example's README, with its figures taken from the ground truth."""
    summary = truth["summary"]
    return README.substitute(
        seed=truth["seed"],
        as_of=truth["as_of"],
        n_interviews=len(truth["interviews"]),
        churn_pct=round(summary["churn_rate"] * 100),
        total_arr_active=f"{summary['total_arr_active']:,}",
        **{k: v for k, v in summary.items() if k not in ("churn_rate", "total_arr_active")},
    )
