package web

import (
	"net/http"

	"upskill"
)

// routeTable lists every page and action with who may use it. The access
// rule is checked by the wrapper before the handler runs; handlers then
// scope their queries by the organisation the rule was checked on. The
// authorisation tests walk this same table.
func (s *Server) routeTable() []route {
	org := []upskill.Level{upskill.LevelOrganisation}
	targets := []upskill.Level{upskill.LevelOrganisation, upskill.LevelNation}
	return []route{
		{pattern: "GET /{$}", access: public, handle: s.root},
		{pattern: "GET /healthz", access: public, handle: s.healthz},
		{pattern: "GET /readyz", access: public, handle: s.readyz},

		// Signing in and out, first setup, and the links sent by email.
		{pattern: "GET /sign-in", access: public, handle: s.signIn},
		{pattern: "POST /sign-in", access: public, handle: s.signIn},
		{pattern: "POST /sign-out", access: public, handle: s.signOut},
		{pattern: "GET /setup", access: public, handle: s.setup},
		{pattern: "POST /setup", access: public, handle: s.setup},
		{pattern: "GET /invitations/{token}", access: public, handle: s.invitation},
		{pattern: "POST /invitations/{token}", access: public, handle: s.invitation},
		{pattern: "GET /verify-email/{token}", access: public, handle: s.verifyEmail},
		{pattern: "GET /forgot-password", access: public, handle: s.forgotPassword},
		{pattern: "POST /forgot-password", access: public, handle: s.forgotPassword},
		{pattern: "GET /reset-password/{token}", access: public, handle: s.resetPassword},
		{pattern: "POST /reset-password/{token}", access: public, handle: s.resetPassword},

		// A person's own pages.
		{pattern: "GET /home", access: signedIn, handle: s.home},
		{pattern: "GET /account", access: signedIn, handle: s.account},
		{pattern: "POST /account/name", access: signedIn, handle: s.accountName},
		{pattern: "GET /account/password", access: signedIn, handle: s.accountPassword},
		{pattern: "POST /account/password", access: signedIn, handle: s.accountPassword},
		{pattern: "POST /account/verify-email", access: signedIn, handle: s.resendVerification},
		{pattern: "GET /account/tokens", access: signedIn, handle: s.tokens},
		{pattern: "POST /account/tokens", access: signedIn, handle: s.createToken},
		{pattern: "POST /account/emails", access: signedIn, handle: s.accountEmails},
		{pattern: "POST /account/tokens/{token}/revoke", access: signedIn, handle: s.revokeToken},

		// The digital skills assessment: a person's own attempts. The store
		// finds an attempt only for the person who made it.
		{pattern: "GET /assessments/{framework}", access: signedIn, handle: s.assessment},
		{pattern: "POST /assessments/{framework}/start", access: signedIn, handle: s.startAssessment},
		{pattern: "GET /attempts/{attempt}", access: signedIn, handle: s.resumeAttempt},
		{pattern: "GET /attempts/{attempt}/statements/{capability}", access: signedIn, handle: s.statement},
		{pattern: "POST /attempts/{attempt}/statements/{capability}", access: signedIn, handle: s.statement},
		{pattern: "GET /attempts/{attempt}/questions/{question}", access: signedIn, handle: s.checkQuestion},
		{pattern: "POST /attempts/{attempt}/questions/{question}", access: signedIn, handle: s.checkQuestion},
		{pattern: "GET /attempts/{attempt}/answers", access: signedIn, handle: s.answers},
		{pattern: "POST /attempts/{attempt}/submit", access: signedIn, handle: s.submitAttempt},
		{pattern: "GET /attempts/{attempt}/report", access: signedIn, handle: s.report},
		{pattern: "GET /attempts/{attempt}/report.pdf", access: signedIn, handle: s.reportPDF},
		{pattern: "POST /attempts/{attempt}/share", access: signedIn, handle: s.shareAttempt},
		{pattern: "POST /attempts/{attempt}/domains/{domain}/badge", access: signedIn, handle: s.getDomainBadge},
		{pattern: "GET /attempts/{attempt}/domains/{domain}/badge.jwt", access: signedIn, handle: s.domainBadgeFile},

		// Supervisors' reviews of the attempts shared with them. The store
		// finds a review only for the supervisor it was asked of.
		{pattern: "GET /reviews", access: signedIn, handle: s.reviews},
		{pattern: "GET /reviews/{attempt}", access: signedIn, handle: s.review},
		{pattern: "POST /reviews/{attempt}", access: signedIn, handle: s.saveReview},
		{pattern: "POST /reviews/{attempt}/sign-off", access: signedIn, handle: s.signOff},

		// The learning catalogue and lessons, as learners see them. The
		// store finds only the learning the person's organisations may see.
		{pattern: "GET /learning", access: signedIn, handle: s.catalogue},
		{pattern: "GET /learning/recommended", access: signedIn, handle: s.recommended},
		{pattern: "GET /learning/{item}", access: signedIn, handle: s.learningItem},
		{pattern: "GET /learning/{item}/pages/{page}", access: signedIn, handle: s.lessonPage},
		{pattern: "POST /learning/{item}/pages/{page}", access: signedIn, handle: s.lessonPage},
		{pattern: "POST /learning/{item}/start", access: signedIn, handle: s.startLearning},
		{pattern: "POST /learning/{item}/complete", access: signedIn, handle: s.completeLearning},
		{pattern: "GET /my-learning", access: signedIn, handle: s.myLearning},
		{pattern: "GET /my-learning/{enrolment}/certificate.pdf", access: signedIn, handle: s.certificatePDF},
		{pattern: "GET /certificates/{certificate}", access: public, handle: s.certificate},
		{pattern: "GET /media/{media}", access: public, handle: s.media},
		{pattern: "POST /my-learning/{enrolment}/badge", access: signedIn, handle: s.getBadge},
		{pattern: "GET /my-learning/{enrolment}/badge.jwt", access: signedIn, handle: s.badgeFile},
		{pattern: "GET /badges/{badge}", access: public, handle: s.badgePage},
		{pattern: "GET /badges/{badge}/verify", access: public, handle: s.badgeVerify},
		{pattern: "GET /badge-keys/{kid}", access: public, handle: s.badgeKeyDoc},
		{pattern: "GET /badge-revocations", access: public, handle: s.badgeRevocations},
		{pattern: "GET /badge-status/{list}", access: public, handle: s.badgeStatusList},
		{pattern: "GET /badge-achievements/{framework}/{domain}", access: public, handle: s.badgeAchievement},
		{pattern: "GET /badge-issuer", access: public, handle: s.badgeIssuerDoc},

		// The frameworks staff assess themselves against, looked after by
		// national admins.
		{pattern: "GET /frameworks", access: national, handle: s.frameworksPage},
		{pattern: "GET /frameworks/{key}", access: national, handle: s.frameworkPage},
		{pattern: "GET /frameworks/{key}/versions/{number}", access: national, handle: s.versionPage},
		{pattern: "GET /frameworks/{key}/versions/{number}/download/{format}", access: national, handle: s.downloadVersion},
		{pattern: "POST /frameworks/{key}/versions/{number}/publish", access: national, handle: s.publishVersion},
		{pattern: "GET /framework-imports", access: national, handle: s.importForm},
		{pattern: "POST /framework-imports", access: national, upload: true, handle: s.uploadFramework},
		{pattern: "GET /framework-imports/template/{format}", access: national, handle: s.templateDownload},
		{pattern: "GET /framework-imports/{upload}", access: national, handle: s.importPreview},
		{pattern: "POST /framework-imports/{upload}", access: national, handle: s.applyImport},

		// The hierarchy: the nation, regions and organisations.
		{pattern: "GET /organisations/{org}", access: onOrg, perm: upskill.SeeOrganisation, handle: s.organisation},
		{pattern: "GET /organisations/{org}/settings", access: onOrg, perm: upskill.ManageOrganisation, handle: s.organisationSettings},
		{pattern: "POST /organisations/{org}/settings", access: onOrg, perm: upskill.ManageOrganisation, handle: s.organisationSettings},
		{pattern: "GET /organisations/{org}/new", access: onOrg, perm: upskill.CreateChild, handle: s.newChild},
		{pattern: "POST /organisations/{org}/new", access: onOrg, perm: upskill.CreateChild, handle: s.newChild},
		{pattern: "GET /organisations/{org}/admins/new", access: onOrg, perm: upskill.ManageAdmins, handle: s.newAdmin},
		{pattern: "POST /organisations/{org}/admins/new", access: onOrg, perm: upskill.ManageAdmins, handle: s.newAdmin},
		{pattern: "GET /organisations/{org}/audit", access: onOrg, perm: upskill.ManageOrganisation, handle: s.audit},

		// Aggregate figures of digital capability.
		{pattern: "GET /organisations/{org}/insight", access: onOrg, perm: upskill.SeeInsight, handle: s.orgInsight},
		{pattern: "GET /organisations/{org}/insight/{format}", access: onOrg, perm: upskill.SeeInsight, handle: s.insightExport},
		{pattern: "GET /organisations/{org}/specialists", access: onOrg, perm: upskill.SeeInsight, handle: s.specialists},
		{pattern: "GET /organisations/{org}/specialists/{format}", access: onOrg, perm: upskill.SeeInsight, handle: s.specialistsExport},
		{pattern: "GET /organisations/{org}/team", access: onOrg, perm: upskill.SeeStaff, levels: org, handle: s.team},
		{pattern: "GET /organisations/{org}/plan", access: onOrg, perm: upskill.SeeInsight, handle: s.plan},
		{pattern: "GET /organisations/{org}/plan/{format}", access: onOrg, perm: upskill.SeeInsight, handle: s.planExport},
		{pattern: "GET /organisations/{org}/plan/edit", access: onOrg, perm: upskill.SetPlan, handle: s.planForm},
		{pattern: "POST /organisations/{org}/plan/edit", access: onOrg, perm: upskill.SetPlan, handle: s.planForm},

		// Targets for roles: an organisation's own, or the national defaults.
		{pattern: "GET /organisations/{org}/targets", access: onOrg, perm: upskill.ManageOrganisation, levels: targets, handle: s.targets},
		{pattern: "GET /organisations/{org}/targets/new", access: onOrg, perm: upskill.ManageOrganisation, levels: targets, handle: s.targetForm},
		{pattern: "POST /organisations/{org}/targets/new", access: onOrg, perm: upskill.ManageOrganisation, levels: targets, handle: s.targetForm},
		{pattern: "GET /organisations/{org}/targets/{target}", access: onOrg, perm: upskill.ManageOrganisation, levels: targets, handle: s.targetForm},
		{pattern: "POST /organisations/{org}/targets/{target}", access: onOrg, perm: upskill.ManageOrganisation, levels: targets, handle: s.targetForm},
		{pattern: "POST /organisations/{org}/targets/{target}/delete", access: onOrg, perm: upskill.ManageOrganisation, levels: targets, handle: s.deleteTarget},

		// Departments and teams of an organisation.
		// Learning an organisation (or, on the nation, the national team)
		// writes and publishes.
		{pattern: "GET /organisations/{org}/learning", access: onOrg, perm: upskill.AuthorContent, levels: targets, handle: s.authoringList},
		{pattern: "GET /organisations/{org}/learning/new", access: onOrg, perm: upskill.AuthorContent, levels: targets, handle: s.authoringNew},
		{pattern: "POST /organisations/{org}/learning/new", access: onOrg, perm: upskill.AuthorContent, levels: targets, handle: s.authoringNew},
		{pattern: "POST /organisations/{org}/copy-learning/{item}", access: onOrg, perm: upskill.AuthorContent, levels: org, handle: s.authoringCopy},
		{pattern: "GET /organisations/{org}/learning/{item}", access: onOrg, perm: upskill.AuthorContent, levels: targets, handle: s.authoringItem},
		{pattern: "GET /organisations/{org}/learning/{item}/details", access: onOrg, perm: upskill.AuthorContent, levels: targets, handle: s.authoringDetails},
		{pattern: "POST /organisations/{org}/learning/{item}/details", access: onOrg, perm: upskill.AuthorContent, levels: targets, handle: s.authoringDetails},
		{pattern: "GET /organisations/{org}/learning/{item}/statements", access: onOrg, perm: upskill.AuthorContent, levels: targets, handle: s.authoringStatements},
		{pattern: "POST /organisations/{org}/learning/{item}/statements", access: onOrg, perm: upskill.AuthorContent, levels: targets, handle: s.authoringStatements},
		{pattern: "GET /organisations/{org}/learning/{item}/pages/new", access: onOrg, perm: upskill.AuthorContent, levels: targets, handle: s.authoringPage},
		{pattern: "POST /organisations/{org}/learning/{item}/pages/new", access: onOrg, perm: upskill.AuthorContent, levels: targets, handle: s.authoringPage},
		{pattern: "GET /organisations/{org}/learning/{item}/pages/{page}", access: onOrg, perm: upskill.AuthorContent, levels: targets, handle: s.authoringPage},
		{pattern: "POST /organisations/{org}/learning/{item}/pages/{page}", access: onOrg, perm: upskill.AuthorContent, levels: targets, handle: s.authoringPage},
		{pattern: "GET /organisations/{org}/learning/{item}/preview/{page}", access: onOrg, perm: upskill.AuthorContent, levels: targets, handle: s.authoringPreview},
		{pattern: "POST /organisations/{org}/learning/{item}/images", access: onOrg, perm: upskill.AuthorContent, levels: targets, upload: true, handle: s.authoringImage},
		{pattern: "POST /organisations/{org}/learning/{item}/pages/{page}/delete", access: onOrg, perm: upskill.AuthorContent, levels: targets, handle: s.authoringDeletePage},
		{pattern: "GET /organisations/{org}/learning/{item}/sharing", access: onOrg, perm: upskill.AuthorContent, levels: targets, handle: s.authoringSharing},
		{pattern: "POST /organisations/{org}/learning/{item}/sharing", access: onOrg, perm: upskill.AuthorContent, levels: targets, handle: s.authoringSharing},
		{pattern: "POST /organisations/{org}/learning/{item}/review", access: onOrg, perm: upskill.AuthorContent, levels: targets, handle: s.authoringAction("review")},
		{pattern: "POST /organisations/{org}/learning/{item}/return", access: onOrg, perm: upskill.AuthorContent, levels: targets, handle: s.authoringAction("return")},
		{pattern: "POST /organisations/{org}/learning/{item}/publish", access: onOrg, perm: upskill.AuthorContent, levels: targets, handle: s.authoringAction("publish")},
		{pattern: "POST /organisations/{org}/learning/{item}/new-version", access: onOrg, perm: upskill.AuthorContent, levels: targets, handle: s.authoringAction("new-version")},

		// Assigned learning: an organisation admin's for the whole
		// organisation, a supervisor's for the people they line manage.
		{pattern: "GET /organisations/{org}/assignments", access: onOrg, perm: upskill.AssignLearning, levels: org, handle: s.assignments},
		{pattern: "GET /organisations/{org}/assignments/new", access: onOrg, perm: upskill.AssignLearning, levels: org, handle: s.assignForm},
		{pattern: "POST /organisations/{org}/assignments/new", access: onOrg, perm: upskill.AssignLearning, levels: org, handle: s.assignForm},
		{pattern: "POST /organisations/{org}/assignments/{assignment}/end", access: onOrg, perm: upskill.AssignLearning, levels: org, handle: s.endAssignment},
		{pattern: "GET /organisations/{org}/badges", access: onOrg, perm: upskill.ManageOrganisation, levels: org, handle: s.orgBadges},
		{pattern: "POST /organisations/{org}/badges/{badge}/revoke", access: onOrg, perm: upskill.ManageOrganisation, levels: org, handle: s.revokeBadge},

		{pattern: "GET /organisations/{org}/departments", access: onOrg, perm: upskill.SeeOrganisation, levels: org, handle: s.departments},
		{pattern: "POST /organisations/{org}/departments", access: onOrg, perm: upskill.ManageOrganisation, levels: org, handle: s.createDepartment},
		{pattern: "GET /organisations/{org}/departments/{unit}", access: onOrg, perm: upskill.SeeOrganisation, levels: org, handle: s.department},
		{pattern: "POST /organisations/{org}/departments/{unit}", access: onOrg, perm: upskill.ManageOrganisation, levels: org, handle: s.renameDepartment},
		{pattern: "POST /organisations/{org}/departments/{unit}/teams", access: onOrg, perm: upskill.ManageOrganisation, levels: org, handle: s.createTeam},
		{pattern: "POST /organisations/{org}/departments/{unit}/delete", access: onOrg, perm: upskill.ManageOrganisation, levels: org, handle: s.deleteUnit},
		{pattern: "POST /organisations/{org}/departments/{unit}/site", access: onOrg, perm: upskill.ManageOrganisation, levels: org, handle: s.setDepartmentSite},
		// Sites the departments work from.
		{pattern: "POST /organisations/{org}/sites", access: onOrg, perm: upskill.ManageOrganisation, levels: org, handle: s.createSite},
		{pattern: "POST /organisations/{org}/sites/{site}/delete", access: onOrg, perm: upskill.ManageOrganisation, levels: org, handle: s.deleteSite},

		// The people of an organisation.
		{pattern: "GET /organisations/{org}/people", access: onOrg, perm: upskill.SeeStaff, levels: org, handle: s.people},
		{pattern: "GET /organisations/{org}/people/new", access: onOrg, perm: upskill.ManageStaff, levels: org, handle: s.newPerson},
		{pattern: "POST /organisations/{org}/people/new", access: onOrg, perm: upskill.ManageStaff, levels: org, handle: s.newPerson},
		{pattern: "GET /organisations/{org}/people/{person}", access: onOrg, perm: upskill.SeeStaff, levels: org, handle: s.person},
		{pattern: "GET /organisations/{org}/people/{person}/edit", access: onOrg, perm: upskill.ManageStaff, levels: org, handle: s.editPerson},
		{pattern: "POST /organisations/{org}/people/{person}/edit", access: onOrg, perm: upskill.ManageStaff, levels: org, handle: s.editPerson},
		{pattern: "GET /organisations/{org}/people/{person}/remove", access: onOrg, perm: upskill.ManageStaff, levels: org, handle: s.removePerson},
		{pattern: "POST /organisations/{org}/people/{person}/remove", access: onOrg, perm: upskill.ManageStaff, levels: org, handle: s.removePerson},
		{pattern: "POST /organisations/{org}/people/{person}/invite", access: onOrg, perm: upskill.ManageStaff, levels: org, handle: s.reinvite},
	}
}

// root sends visitors to their home page or to sign in.
func (s *Server) root(w http.ResponseWriter, r *request) error {
	if r.actor != nil {
		return redirect(w, r, "/home")
	}
	return redirect(w, r, "/sign-in")
}
