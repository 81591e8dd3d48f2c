#ifndef COUNCIL_CMOSQUITTO_SHIM_H
#define COUNCIL_CMOSQUITTO_SHIM_H
#include <mosquitto.h>
#include <mqtt_protocol.h>
/* The network loop waits on the MQTT socket and an eventfd of its own (Bus/Mosquitto.swift). */
#include <poll.h>
#include <sys/eventfd.h>
#endif
