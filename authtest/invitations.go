package authtest

import (
	"net/http"
	"strings"
)

// invitation is a validated Config.Invitations entry: a membership of user
// in the organization orgID that stays pending until the user logs in with
// the invitation.
type invitation struct {
	id    string
	orgID string
	user  *user
}

// addInvitations checks the invitations and records each as a pending
// membership of its invitee (so that the Management API reads, which all
// ask Tenant.member, see it once accepted). It runs after addUsers.
func (d *directory) addInvitations(invs []Invitation) error {
	d.invitations = map[string]*invitation{}
	for i, inv := range invs {
		o := d.org(inv.Organization)
		if o == nil {
			return configErrorf("invitation %d: unknown organization %q", i, inv.Organization)
		}
		if inv.Email == "" {
			return configErrorf("invitation %d: no Email", i)
		}
		var u *user
		for _, c := range d.users {
			if strings.EqualFold(c.Email, inv.Email) {
				u = c
				break
			}
		}
		if u == nil {
			return configErrorf("invitation %d: no user has the email %q (authtest has no sign-up: add the invitee to Users)", i, inv.Email)
		}
		if _, member := u.orgRoles[o.ID]; member {
			return configErrorf("invitation %d: %q is already a member of %q", i, inv.Email, o.Name)
		}
		id := inv.ID
		if id == "" {
			id = derivedID("uinv_", "invitation", o.ID+"\x00"+strings.ToLower(inv.Email))
		}
		if !strings.HasPrefix(id, "uinv_") || len(id) == len("uinv_") {
			return configErrorf("invitation ID %q does not start with uinv_", id)
		}
		if d.invitations[id] != nil {
			return configErrorf("invitation %q defined twice", id)
		}
		roles, err := d.resolveRoles("invitation "+id, inv.Roles)
		if err != nil {
			return err
		}
		if roles == nil {
			roles = []*Role{}
		}
		u.orgRoles[o.ID] = roles
		u.orgOrder = append(u.orgOrder, o.ID)
		d.invitations[id] = &invitation{id: id, orgID: o.ID, user: u}
	}
	return nil
}

// acceptInvitation handles the invitation parameter of a login: it must
// come with the organization it invites to, name a pending invitation of
// that organization, and be for the user logging in. Accepting makes the
// membership real; an invitation is used once, as on Auth0.
func (t *Tenant) acceptInvitation(u *user, org *Organization, id string) *oauthError {
	if org == nil {
		return invalidRequest("The invitation parameter requires the organization parameter")
	}
	inv := t.dir.invitations[id]
	if inv == nil || inv.orgID != org.ID {
		return &oauthError{http.StatusForbidden, "access_denied", "Invitation not found"}
	}
	if inv.user != u {
		return &oauthError{http.StatusForbidden, "access_denied", "The invitation is for another user"}
	}
	if _, pending := t.pending.LoadAndDelete(memberKey{org.ID, u.subject}); !pending {
		return &oauthError{http.StatusForbidden, "access_denied", "Invitation not found"} // accepted already
	}
	return nil
}
