import{s as t}from"./common-CfaNKpTX.js";t();document.body.dataset.ready="true";
