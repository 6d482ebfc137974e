package upskill

// The specialist digital, data and technology (DDaT) roles: a second
// framework, of roles rather than statements, each held at a level. An
// organisation records which of its staff hold one, so that a region or
// the nation can see how many specialists there are and plan for more.

// DDaTRole is one specialist role, in a family of related roles.
type DDaTRole struct {
	Code   string
	Family string
	Name   string
}

// DDaTLevel is how senior a specialist is in their role.
type DDaTLevel struct {
	Code        string
	Name        string
	Description string
}

// DDaTRoles lists the roles, family by family, in the order forms show
// them.
var DDaTRoles = []DDaTRole{
	{"data_analyst", "Data", "Data analyst"},
	{"data_engineer", "Data", "Data engineer"},
	{"data_scientist", "Data", "Data scientist"},
	{"performance_analyst", "Data", "Performance analyst"},
	{"data_architect", "Data", "Data architect"},
	{"data_governance", "Data", "Data governance manager"},
	{"clinical_informatician", "Clinical informatics", "Clinical informatician"},
	{"clinical_safety_officer", "Clinical informatics", "Clinical safety officer"},
	{"chief_clinical_information_officer", "Clinical informatics", "Chief clinical information officer"},
	{"software_developer", "Software development", "Software developer"},
	{"devops_engineer", "Software development", "DevOps engineer"},
	{"test_engineer", "Software development", "Test engineer"},
	{"service_desk_analyst", "IT operations", "Service desk analyst"},
	{"infrastructure_engineer", "IT operations", "Infrastructure engineer"},
	{"network_engineer", "IT operations", "Network engineer"},
	{"end_user_computing", "IT operations", "End user computing engineer"},
	{"cyber_security", "Architecture and security", "Cyber security specialist"},
	{"security_architect", "Architecture and security", "Security architect"},
	{"technical_architect", "Architecture and security", "Technical architect"},
	{"enterprise_architect", "Architecture and security", "Enterprise architect"},
	{"product_manager", "Product and delivery", "Product manager"},
	{"delivery_manager", "Product and delivery", "Delivery manager"},
	{"business_analyst", "Product and delivery", "Business analyst"},
	{"service_owner", "Product and delivery", "Service owner"},
	{"user_researcher", "User-centred design", "User researcher"},
	{"interaction_designer", "User-centred design", "Interaction designer"},
	{"content_designer", "User-centred design", "Content designer"},
	{"service_designer", "User-centred design", "Service designer"},
}

// DDaTLevels lists the levels from the most junior.
var DDaTLevels = []DDaTLevel{
	{"associate", "Associate", "Learning the role with close support, often as an apprentice or trainee."},
	{"junior", "Junior", "Doing the everyday work of the role with guidance."},
	{"practitioner", "Practitioner", "Doing the work of the role without supervision."},
	{"senior", "Senior", "Taking on the hardest work of the role and guiding others."},
	{"lead", "Lead", "Leading a team or an area of practice."},
	{"head", "Head of", "Leading the discipline across the organisation."},
}

// DDaTRoleByCode returns a role, if the code names one.
func DDaTRoleByCode(code string) (DDaTRole, bool) {
	for _, r := range DDaTRoles {
		if r.Code == code {
			return r, true
		}
	}
	return DDaTRole{}, false
}

// DDaTLevelByCode returns a level, if the code names one.
func DDaTLevelByCode(code string) (DDaTLevel, bool) {
	for _, l := range DDaTLevels {
		if l.Code == code {
			return l, true
		}
	}
	return DDaTLevel{}, false
}
