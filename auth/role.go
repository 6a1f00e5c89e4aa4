// Package auth verifies bearer tokens and carries the viewer (who is calling,
// for which agency, with which roles) in the request context.
package auth

import (
	"fmt"

	"lienthong/problem"
)

// Role is what an officer may do. The values are the strings carried in the
// token's "roles" claim and shown in the GraphQL schema.
type Role string

// Roles known to the service. A token naming any other role is rejected.
const (
	RoleDeskOfficer Role = "DESK_OFFICER" // receives dossiers at the one-stop desk
	RoleSpecialist  Role = "SPECIALIST"   // processes dossiers
	RoleAgencyHead  Role = "AGENCY_HEAD"  // approves and signs
	RoleAnalyst     Role = "ANALYST"      // reads reports
	RoleAdmin       Role = "ADMIN"        // manages agencies and officers
	RoleIntegration Role = "INTEGRATION"  // machine clients of other agencies
)

// AllRoles lists every known role, in a stable order.
var AllRoles = []Role{
	RoleDeskOfficer,
	RoleSpecialist,
	RoleAgencyHead,
	RoleAnalyst,
	RoleAdmin,
	RoleIntegration,
}

// maxQuoted bounds how much of an untrusted string an error message repeats.
const maxQuoted = 64

// ParseRole returns the role named exactly s (upper case, no surrounding
// space): role names come from an identity provider and are not normalised,
// so that "admin" cannot slip past a check written for "ADMIN".
func ParseRole(s string) (Role, error) {
	for _, r := range AllRoles {
		if string(r) == s {
			return r, nil
		}
	}
	return "", fmt.Errorf("auth: unknown role %q", problem.Clip(s, maxQuoted))
}
