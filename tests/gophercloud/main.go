// Licensed under the Apache License, Version 2.0 (the "License"); you may
// not use this file except in compliance with the License. You may obtain
// a copy of the License at
//
//      http://www.apache.org/licenses/LICENSE-2.0
//
// Unless required by applicable law or agreed to in writing, software
// distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
// WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
// License for the specific language governing permissions and limitations
// under the License.

// A gophercloud client of the backup API, as Go tools (terraform's
// OpenStack provider among them) use it: block-storage v3 from the
// Keystone catalog (password auth, OS_* variables, OS_REGION_NAME) or from
// an endpoint given with a token (-endpoint, -token). It prints one JSON
// object of what it read; the Python tests compare it with the data.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/gophercloud/gophercloud"
	"github.com/gophercloud/gophercloud/openstack"
	"github.com/gophercloud/gophercloud/openstack/blockstorage/extensions/backups"
	"github.com/gophercloud/gophercloud/pagination"
)

// fuzzyCount asks for a fuzzy name filter and the count (microversion
// 3.45), which backups.ListOpts has no fields for.
type fuzzyCount struct {
	name  string
	limit int
}

func (opts fuzzyCount) ToBackupListQuery() (string, error) {
	query := url.Values{}
	query.Set("name~", opts.name)
	query.Set("with_count", "true")
	query.Set("limit", fmt.Sprint(opts.limit))
	return "?" + query.Encode(), nil
}

type result struct {
	Endpoint string            `json:"endpoint"`
	All      []string          `json:"all"`
	Pages    [][]string        `json:"pages"`
	ByName   []string          `json:"by_name"`
	Fuzzy    [][]string        `json:"fuzzy_pages"`
	Count    float64           `json:"count"`
	Shown    map[string]string `json:"shown"`
}

func ids(page pagination.Page) []string {
	list, err := backups.ExtractBackups(page)
	check(err)
	found := []string{}
	for _, backup := range list {
		found = append(found, backup.ID)
	}
	return found
}

func pages(client *gophercloud.ServiceClient, opts backups.ListOptsBuilder) ([][]string, map[string]interface{}) {
	var all [][]string
	var first map[string]interface{}
	check(backups.List(client, opts).EachPage(func(page pagination.Page) (bool, error) {
		if first == nil {
			first = page.(backups.BackupPage).Body.(map[string]interface{})
		}
		all = append(all, ids(page))
		return true, nil
	}))
	return all, first
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func client() *gophercloud.ServiceClient {
	endpoint := flag.String("endpoint", "", "the block-storage endpoint, instead of the catalog's")
	token := flag.String("token", "", "the token to send with -endpoint (noauth: user:project)")
	flag.Parse()
	if *token != "" {
		provider, err := openstack.NewClient(*endpoint)
		check(err)
		provider.SetToken(*token)
		return &gophercloud.ServiceClient{
			ProviderClient: provider, Endpoint: *endpoint + "/",
			ResourceBase: *endpoint + "/", Type: "volumev3"}
	}
	options, err := openstack.AuthOptionsFromEnv()
	check(err)
	provider, err := openstack.AuthenticatedClient(options)
	check(err)
	service, err := openstack.NewBlockStorageV3(provider, gophercloud.EndpointOpts{
		Region: os.Getenv("OS_REGION_NAME")})
	check(err)
	if *endpoint != "" {
		service.Endpoint = *endpoint + "/"
		service.ResourceBase = service.Endpoint
	}
	return service
}

func main() {
	service := client()
	out := result{Endpoint: service.Endpoint, Shown: map[string]string{}}

	all, err := backups.List(service, nil).AllPages()
	check(err)
	out.All = ids(all)

	out.Pages, _ = pages(service, backups.ListOpts{Limit: 2})

	name := os.Getenv("BACKUP_NAME")
	byName, err := backups.List(service, backups.ListOpts{Name: name}).AllPages()
	check(err)
	out.ByName = ids(byName)

	// gophercloud sends "OpenStack-API-Version: volumev3 3.45".
	service.Microversion = "3.45"
	var first map[string]interface{}
	out.Fuzzy, first = pages(service, fuzzyCount{
		name: os.Getenv("BACKUP_NAME_CONTAINS"), limit: 2})
	count, ok := first["count"].(float64)
	if !ok {
		check(fmt.Errorf("no count in %v", first))
	}
	out.Count = count

	for _, id := range strings.Fields(os.Getenv("BACKUP_IDS")) {
		backup, err := backups.Get(service, id).Extract()
		check(err)
		out.Shown[backup.ID] = backup.Name
	}
	check(json.NewEncoder(os.Stdout).Encode(out))
}
