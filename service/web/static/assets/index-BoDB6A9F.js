import{s as t}from"./common-7nhx4pe-.js";t();document.body.dataset.ready="true";
