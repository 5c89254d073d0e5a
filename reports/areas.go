package reports

import "pathway/sim"

// planArea is one of the nine areas a pathway plan covers (Care Planning
// Regulations 2010, Schedule 8; guidance para 55: all the areas of any care
// leaver's plan, plus the needs that come from the immigration case).
type planArea struct {
	Name  string
	Goals map[sim.Perspective]areaGoal
}

// areaGoal is a short goal for an area under one planning perspective, with
// the guidance paragraphs it rests on.
type areaGoal struct {
	Text   string
	Source string
}

// planAreas are the nine areas in the order the review pack lists them. The
// goals are starting points the adviser makes the young person's own at the
// review; they follow the 2014 guidance, paras 22–67.
var planAreas = []planArea{
	{"Health and development", map[sim.Perspective]areaGoal{
		sim.Transitional: {"Keep the health plan current, including emotional and mental health and any effects of the journey or of exploitation; registered with a GP and a dentist.", "paras 25, 34–35"},
		sim.LongTerm:     {"Move to adult health services without a gap at 18, keeping any therapy going; knows how to use the GP, pharmacy and NHS 111.", "paras 34, 59"},
		sim.ReturnHome:   {"Find out what health care and psychosocial support exist in the country of return; reintegration help can pay for medical or psychosocial support.", "para 62"},
	}},
	{"Education, training and employment", map[sim.Perspective]areaGoal{
		sim.Transitional: {"A personal education plan with English language support; courses that can be finished or carried on whatever the decision; check what the current status allows.", "paras 36, 64"},
		sim.LongTerm:     {"Plan further or higher education and work as for any care leaver, with the funding their status gives (bursary, student finance once eligible).", "paras 59, 64"},
		sim.ReturnHome:   {"Choose qualifications and skills that count in the country of return; reintegration help covers education, vocational training and job placement.", "para 62"},
	}},
	{"Contact with family and social relationships", map[sim.Perspective]areaGoal{
		sim.Transitional: {"Keep friendships and community and faith links; offer an independent visitor; family tracing only through the Home Office or a tracing service, after a safety check.", "paras 29–30, 49"},
		sim.LongTerm:     {"Build a lasting network of people so they are not isolated after leaving care.", "para 54"},
		sim.ReturnHome:   {"Where it is safe, work with the Home Office on contact with family before any return; check no family member was involved in trafficking or exploitation.", "paras 30, 63"},
	}},
	{"Financial capability and independent living skills", map[sim.Perspective]areaGoal{
		sim.Transitional: {"Budgeting, cooking and how UK systems work; explain what money they will have at 18 with and without leave.", "paras 53, 64"},
		sim.LongTerm:     {"A bank account, a plan for Universal Credit or work, and the setting-up-home allowance used well.", "paras 59, 64"},
		sim.ReturnHome:   {"A plan for the cash on departure and the in-kind reintegration help, within its deadlines.", "paras 61–62"},
	}},
	{"Suitable accommodation", map[sim.Perspective]areaGoal{
		sim.Transitional: {"A placement that meets their needs now and a plan for 18 that works whatever the decision; never bed and breakfast under 18.", "paras 45, 56"},
		sim.LongTerm:     {"Plan the move at 18 (Staying Put, supported lodgings or a tenancy) and housing once leave is granted.", "paras 59, 64"},
		sim.ReturnHome:   {"Plan accommodation if support stops under Schedule 3 after the human rights assessment, and housing on return.", "paras 62, 65"},
	}},
	{"Identity, culture, language and religion", map[sim.Perspective]areaGoal{
		sim.Transitional: {"Interpreters trained for these issues and with no link to anyone who exploited them; keep language, faith and cultural links; help with identity documents.", "paras 25–26"},
		sim.LongTerm:     {"Support their identity in the UK while keeping cultural links; settlement and later citizenship advice from a registered adviser.", "paras 48, 59"},
		sim.ReturnHome:   {"Keep first-language skills and cultural links that will help on return; help with travel documents.", "para 61"},
	}},
	{"Emotional and behavioural development", map[sim.Perspective]areaGoal{
		sim.Transitional: {"Support for trauma and for the stress of waiting; talk openly about the possible outcomes so the young person understands them.", "paras 25, 35, 57"},
		sim.LongTerm:     {"Continue mental health support into adult services; build confidence and long-term goals.", "paras 34, 59"},
		sim.ReturnHome:   {"Prepare for return or for the loss of status with care; psychosocial support before and after return.", "paras 60, 62"},
	}},
	{"The immigration case and legal advice", map[sim.Perspective]areaGoal{
		sim.Transitional: {"Advice only from a registered solicitor or OISC-registered adviser; every deadline met; the social worker or carer goes to legal meetings with them.", "paras 33, 48, 57, 67"},
		sim.LongTerm:     {"Apply for further leave or settlement in time, before leave expires; keep documents safe; explain what their leave allows.", "paras 59–60"},
		sim.ReturnHome:   {"With the solicitor, explain appeal rights, fresh claims and voluntary return; a human rights assessment before any support stops.", "paras 50, 60, 65"},
	}},
	{"Safety and risk", map[sim.Perspective]areaGoal{
		sim.Transitional: {"Assess the risk of going missing and of exploitation; agree what helps them feel safe; a missing-from-care plan where needed.", "paras 27, 39–40"},
		sim.LongTerm:     {"Keep any continued risk from traffickers or exploiters in mind when planning accommodation and work after 18.", "paras 54, 66"},
		sim.ReturnHome:   {"Assess the safety of return with the Home Office so that any return is as sensitive and humane as possible.", "para 63"},
	}},
}

// traffickedSafety replaces the transitional safety goal for a trafficked
// young person.
var traffickedSafety = areaGoal{
	"Follow the protection plan below: missing-from-care steps, a photograph on file, no disclosure of where they live, and their own view of what keeps them safe.",
	"paras 39–45",
}
