#!/bin/bash
# devstack plugin: vbs-native inside Cinder's API.
#
# The steps of doc/source/install/cinder.rst: install the package into
# Cinder's Python, a read-only database user, /etc/vbs-native/vbs-native.conf,
# the two filters in Cinder's api-paste.ini; devstack starts c-api after
# post-config, so no restart is needed.

VBS_NATIVE_FILTER_MODULE=vbs_native.api.cinder_filter

function install_vbs_native {
    setup_develop $VBS_NATIVE_DIR
    pip_install PyMySQL
}

# Step 2: a user that may only read Cinder's backups tables.
function create_vbs_native_db_user {
    local sql
    sql="CREATE USER IF NOT EXISTS '$VBS_NATIVE_DB_USER'@'%' IDENTIFIED BY '$VBS_NATIVE_DB_PASSWORD';"
    sql+="GRANT SELECT ON cinder.backups TO '$VBS_NATIVE_DB_USER'@'%';"
    sql+="GRANT SELECT ON cinder.backup_metadata TO '$VBS_NATIVE_DB_USER'@'%';"
    mysql -u$DATABASE_USER -p$DATABASE_PASSWORD -h$MYSQL_HOST -e "$sql"
}

# Step 3 and 4: the configuration file, with Cinder's policy file.
function configure_vbs_native {
    sudo install -d -o $STACK_USER $VBS_NATIVE_CONF_DIR
    rm -f $VBS_NATIVE_CONF
    iniset $VBS_NATIVE_CONF database connection \
        "mysql+pymysql://$VBS_NATIVE_DB_USER:$VBS_NATIVE_DB_PASSWORD@$MYSQL_HOST/cinder?charset=utf8mb4"
    iniset $VBS_NATIVE_CONF oslo_policy policy_file $CINDER_CONF_DIR/policy.yaml
    local max_limit
    max_limit=$(iniget $CINDER_CONF DEFAULT osapi_max_limit)
    if [[ -n "$max_limit" ]]; then
        iniset $VBS_NATIVE_CONF DEFAULT osapi_max_limit $max_limit
    fi
    iniset $VBS_NATIVE_CONF vbs_native cinder_routes $VBS_NATIVE_CINDER_ROUTES
}

# Step 5: vbs_native_versions before the auth filter, vbs_native just
# before apiv3, in each pipeline of [composite:openstack_volume_api_v3].
function configure_cinder_paste {
    local paste=$CINDER_API_PASTE_INI
    local section=composite:openstack_volume_api_v3
    local key pipeline auth
    for key in noauth noauth_include_project_id keystone keystone_nolimit; do
        pipeline=" $(iniget $paste $section $key) "
        if [[ "$pipeline" == "  " || "$pipeline" == *" vbs_native "* ]]; then
            continue
        fi
        for auth in authtoken noauth_include_project_id noauth; do
            if [[ "$pipeline" == *" $auth "* ]]; then
                pipeline=${pipeline/ $auth / vbs_native_versions $auth }
                break
            fi
        done
        pipeline=${pipeline/ apiv3 / vbs_native apiv3 }
        pipeline=$(echo $pipeline)
        iniset $paste $section $key "$pipeline"
    done
    iniset $paste filter:vbs_native_versions paste.filter_factory \
        $VBS_NATIVE_FILTER_MODULE:versions_filter_factory
    iniset $paste filter:vbs_native_versions config_file $VBS_NATIVE_CONF
    iniset $paste filter:vbs_native paste.filter_factory \
        $VBS_NATIVE_FILTER_MODULE:filter_factory
    iniset $paste filter:vbs_native config_file $VBS_NATIVE_CONF
}

function cleanup_vbs_native {
    mysql -u$DATABASE_USER -p$DATABASE_PASSWORD -h$MYSQL_HOST \
        -e "DROP USER IF EXISTS '$VBS_NATIVE_DB_USER'@'%';" || true
    sudo rm -rf $VBS_NATIVE_CONF_DIR
}

if is_service_enabled c-api; then
    if [[ "$1" == "stack" && "$2" == "install" ]]; then
        echo_summary "Installing vbs-native"
        install_vbs_native
    elif [[ "$1" == "stack" && "$2" == "post-config" ]]; then
        echo_summary "Configuring vbs-native inside the Cinder API"
        create_vbs_native_db_user
        configure_vbs_native
        configure_cinder_paste
    fi
    if [[ "$1" == "clean" ]]; then
        cleanup_vbs_native
    fi
fi
